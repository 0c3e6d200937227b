// `npm run bench:all`: runs every benchmark under tools/bench at its full size, one after the
// other (they would skew each other if run at once), then writes docs/benchmarks/README.md: one
// table of every headline result with its target, the peer or floor measured in the same run,
// and the machine and load it ran on. Every cell comes from a results file a benchmark wrote.
//   --only=scan,notify   run only these (the table is still built from every results file)
//   --no-run             rebuild the table from the results files as they are
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { BENCHMARKS, type HeadlineRow } from './roll-up/benchmarks';

const root = join(__dirname, '..', '..');
const docs = join(root, 'docs', 'benchmarks');

const { values: flags } = parseArgs({
  options: { only: { type: 'string' }, 'no-run': { type: 'boolean', default: false } },
});
const only = flags.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !BENCHMARKS.some((bench) => bench.name === name)) ?? [];
if (unknown.length > 0) {
  throw new Error(
    `no benchmark named ${unknown.join(', ')} (${BENCHMARKS.map((b) => b.name).join(', ')})`,
  );
}

if (!flags['no-run']) {
  for (const bench of BENCHMARKS) {
    if (only !== undefined && !only.includes(bench.name)) continue;
    process.stdout.write(`\n=== ${bench.name}: npm run ${bench.script}\n`);
    const started = Date.now();
    execFileSync('npm', ['run', bench.script], {
      cwd: root,
      stdio: 'inherit',
    });
    process.stdout.write(`=== ${bench.name}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
}

const cell = (value: string) => value.replaceAll('|', '\\|');
const rows: string[] = [];
const missing: string[] = [];
for (const bench of BENCHMARKS) {
  const file = join(docs, bench.resultsFile);
  if (!existsSync(file)) {
    missing.push(`${bench.name} (no ${bench.resultsFile} yet: npm run ${bench.script})`);
    continue;
  }
  const results: unknown = JSON.parse(readFileSync(file, 'utf8'));
  for (const row of bench.headline(results)) rows.push(tableRow(bench.name, bench.report, row));
}

function tableRow(name: string, report: string, row: HeadlineRow): string {
  return `| [${name}](${report}) | ${[
    row.measure,
    row.result,
    row.target ?? '—',
    row.verdict ?? '—',
    row.peer ?? '—',
    row.ranOn,
  ]
    .map(cell)
    .join(' | ')} |`;
}

const readme = [
  '# Benchmarks',
  '',
  'Written by `npm run bench:all` (tools/bench/run-all.ts) from the results file each benchmark',
  'wrote beside its report; run one benchmark alone with the npm script its report names. Each',
  'result is the median of its runs with the spread (min-max) where the benchmark repeats its',
  'measurement; a peer or floor is measured in the same run on the same machine. Each row names',
  'the day and the machine it ran on, with PostgreSQL, Redis and Kafka beside it on that machine:',
  'rows from different machines compare only within themselves, and the load average each run',
  'reports matters, since other work on the machine inflates tail latencies.',
  '',
  '| benchmark | measure | result | target | verdict | peer or floor, same run | ran on |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  ...(missing.length === 0 ? [] : ['', `Not yet run: ${missing.join('; ')}.`]),
  '',
].join('\n');
writeFileSync(join(docs, 'README.md'), readme);
execFileSync(join(root, 'node_modules', '.bin', 'prettier'), [
  '--log-level',
  'warn',
  '--write',
  join(docs, 'README.md'),
]);
process.stdout.write(`docs/benchmarks/README.md: ${rows.length} results\n`);
