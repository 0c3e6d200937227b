import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseUdi } from '@implant-trace/udi';
import { COMPETITORS } from './competitors';
import type { Extracted } from './competitors';
import { SCANS } from './scans';

/**
 * Parses per second, single thread, for @implant-trace/udi and each competitor on the same
 * inputs: a competitor is measured only on the scans it reads correctly (same GTIN, lot, serial
 * and element count as ours), and ours is measured again on exactly that subset.
 */
const ROUNDS = 7;
const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 700);
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '../../../docs/benchmarks');

let sink = 0;

interface Rate {
  /** Parses per second of this thread's CPU time: steady when other processes share the machine. */
  cpu: number;
  /** Parses per second of elapsed time. */
  wall: number;
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function round(parse: (scan: string) => unknown, inputs: readonly string[]): Rate {
  let count = 0;
  const cpu0 = cpuMicros();
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ROUND_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (const s of inputs) {
      if (parse(s) !== undefined) sink++;
    }
    count += inputs.length;
    now = process.hrtime.bigint();
  }
  return { cpu: count / ((cpuMicros() - cpu0) / 1e6), wall: count / (Number(now - start) / 1e9) };
}

interface Measured {
  /** Median round, in parses per CPU-second and per elapsed second. */
  median: Rate;
  /** Fastest round: the closest to the machine's speed when other work shares it. */
  best: Rate;
  rounds: Rate[];
}

function summarise(rounds: Rate[]): Measured {
  const pick = (key: keyof Rate, at: (sorted: number[]) => number): number =>
    at(rounds.map((r) => r[key]).sort((a, b) => a - b));
  const mid = (sorted: number[]): number => sorted[Math.floor(sorted.length / 2)] ?? 0;
  const top = (sorted: number[]): number => sorted[sorted.length - 1] ?? 0;
  return {
    median: { cpu: pick('cpu', mid), wall: pick('wall', mid) },
    best: { cpu: pick('cpu', top), wall: pick('wall', top) },
    rounds,
  };
}

/** Measures the parsers on the same inputs, their rounds interleaved so load hits them alike. */
function measure(
  parsers: readonly ((scan: string) => unknown)[],
  inputs: readonly string[],
): Measured[] {
  for (const p of parsers) round(p, inputs);
  const rounds = parsers.map((): Rate[] => []);
  for (let r = 0; r < ROUNDS; r++) parsers.forEach((p, i) => rounds[i]?.push(round(p, inputs)));
  return rounds.map(summarise);
}

/** Median over rounds of ours/theirs from adjacent rounds: steady while the machine's load drifts. */
function pairedRatio(mine: Measured, theirs: Measured): number {
  const ratios = mine.rounds
    .map((r, i) => r.cpu / (theirs.rounds[i]?.cpu ?? Infinity))
    .sort((a, b) => a - b);
  return ratios[Math.floor(ratios.length / 2)] ?? 0;
}

/** Called through a local reference, as the competitors are, not through the module's export getter. */
const parse = parseUdi;

function ours(scan: string): Extracted | undefined {
  const r = parse(scan);
  if (!r.ok) return undefined;
  const { udi } = r;
  return {
    gtin: udi.deviceIdentifier,
    lot: udi.lotNumber,
    serial: udi.serialNumber,
    elementCount: udi.elements.length,
  };
}

function supported(extract: () => Extracted, expected: Extracted): boolean {
  try {
    const got = extract();
    return (
      got.gtin === expected.gtin &&
      got.lot === expected.lot &&
      got.serial === expected.serial &&
      got.elementCount === expected.elementCount
    );
  } catch {
    return false;
  }
}

const texts = SCANS.map((s) => s.text);
const expectations = texts.map((t) => ours(t));
const failed = texts.filter((_, i) => expectations[i] === undefined);
if (failed.length > 0)
  throw new Error(`our parser rejected generated scans: ${JSON.stringify(failed.slice(0, 3))}`);

const categories = [...new Set(SCANS.map((s) => s.category))];
const loadBefore = loadavg()[0] ?? 0;
const none: Measured = { median: { cpu: 0, wall: 0 }, best: { cpu: 0, wall: 0 }, rounds: [] };
const [oursAll = none] = measure([parse], texts);
const results: {
  parser: string;
  version: string;
  inputs: number;
  categories: string[];
  parsesPerSecond: Measured;
  oursOnSameInputs?: Measured;
  ratio?: number;
}[] = [
  {
    parser: '@implant-trace/udi',
    version: 'workspace',
    inputs: texts.length,
    categories,
    parsesPerSecond: oursAll,
  },
];

for (const c of COMPETITORS) {
  const subset = SCANS.filter((s, i) =>
    supported(() => c.extract(c.parse(s.text)), expectations[i] as Extracted),
  );
  const [theirs = none, mine = none] =
    subset.length > 0
      ? measure(
          [c.parse, parse],
          subset.map((s) => s.text),
        )
      : [none, none];
  results.push({
    parser: c.name,
    version: c.version,
    inputs: subset.length,
    categories: [...new Set(subset.map((s) => s.category))],
    parsesPerSecond: theirs,
    oursOnSameInputs: mine,
    ratio: subset.length > 0 ? pairedRatio(mine, theirs) : 0,
  });
}

const perCategory = categories.map((category) => {
  const [rate = none] = measure(
    [parse],
    SCANS.filter((s) => s.category === category).map((s) => s.text),
  );
  return { category, parsesPerSecond: rate };
});
const loadAfter = loadavg()[0] ?? 0;

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`,
  node: process.version,
};
const date = new Date().toISOString();
const raw = {
  date,
  machine,
  loadAverage1m: { before: loadBefore, after: loadAfter },
  oursPerCategory: perCategory,
  roundMs: ROUND_MS,
  rounds: ROUNDS,
  scans: texts.length,
  results,
  sink,
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'udi.json'), `${JSON.stringify(raw, null, 2)}\n`);

const fmt = (n: number): string => Math.round(n).toLocaleString('en-GB');
const lines = [
  '# UDI parser benchmark',
  '',
  'Generated by `npm run bench:udi` (`tools/bench/udi/run.sh`); raw numbers in [udi.json](udi.json).',
  '',
  `- Date: ${date}`,
  `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}`,
  `- Node: ${machine.node}, single thread; 1-minute load average ${loadBefore.toFixed(1)} before the run, ${loadAfter.toFixed(1)} after (other processes shared the ${machine.cores} cores)`,
  `- Inputs: ${texts.length} generated scans (fixed seed, \`tools/bench/udi/scans.ts\`): ${categories.join('; ')}.`,
  `- Each parser runs ${ROUNDS} rounds of ${ROUND_MS} ms after a warm-up round; figures are parses per second of CPU time`,
  '  (elapsed-time figures are in udi.json), as the median round and the fastest round: other',
  '  processes shared the machine, and the fastest round is the nearest to its unshared speed.',
  '- Each competitor is measured only on the scans it reads correctly (same GTIN, lot, serial and',
  '  element count as `@implant-trace/udi`), and `@implant-trace/udi` is measured on that same',
  '  subset in the same run, the rounds of the two interleaved; the ratio is the median of the',
  '  ratios of adjacent rounds, which load changes affect least.',
  '',
  '| Parser | Version | Scans it reads | Kinds of scan | Its parses/s (median / best) | @implant-trace/udi parses/s on the same scans (median / best) | Ratio |',
  '| --- | --- | ---: | --- | ---: | ---: | ---: |',
  `| @implant-trace/udi | workspace | ${texts.length} | all | ${fmt(oursAll.median.cpu)} / ${fmt(oursAll.best.cpu)} | — | — |`,
  ...results.slice(1).map((r) => {
    const mine = r.oursOnSameInputs ?? none;
    const theirs = r.parsesPerSecond;
    const ratio = r.ratio !== undefined && r.ratio > 0 ? `${r.ratio.toFixed(1)}×` : '—';
    return `| ${r.parser} | ${r.version} | ${r.inputs} | ${r.categories.join('; ') || 'none'} | ${fmt(theirs.median.cpu)} / ${fmt(theirs.best.cpu)} | ${fmt(mine.median.cpu)} / ${fmt(mine.best.cpu)} | ${ratio} |`;
  }),
  '',
  '`@implant-trace/udi` by kind of scan:',
  '',
  '| Kind of scan | parses/s (median / best) |',
  '| --- | ---: |',
  ...perCategory.map(
    (c) =>
      `| ${c.category} | ${fmt(c.parsesPerSecond.median.cpu)} / ${fmt(c.parsesPerSecond.best.cpu)} |`,
  ),
  '',
];
writeFileSync(join(outDir, 'udi.md'), lines.join('\n'));
console.log(lines.join('\n'));
