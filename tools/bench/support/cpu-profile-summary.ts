// The top self-time costs of V8 `.cpuprofile`s (node --cpu-prof), grouped by function and file
// (and, for a directory of profiles, by package), so a benchmark can record where the time went
// next to what it measured. Hand written:
// the format is a flat node list with sample counts, and summing self time needs no library.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
}

/** A function as `name file:line`, the file relative to `root` or to its node_modules. */
function frameName({ functionName, url, lineNumber }: CallFrame, root: string): string {
  const file = url.startsWith('file://') ? relative(root, url.slice('file://'.length)) : url;
  const where = file === '' ? '' : ` ${file.replace(/^.*node_modules\//, '')}:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${where}`;
}

export interface ProfileCost {
  name: string;
  /** Per cent of the samples (of the busy ones, for a directory's summary), one decimal. */
  share: number;
}

/** Self time by function (idle and GC included under V8's own names), largest first. */
export async function topCosts(
  path: string,
  count = 10,
  root = process.cwd(),
): Promise<ProfileCost[]> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as { nodes: ProfileNode[] };
  const totals = new Map<string, number>();
  let all = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const name = frameName(node.callFrame, root);
    totals.set(name, (totals.get(name) ?? 0) + hits);
    all += hits;
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, hits]) => ({ name, share: Math.round((hits / Math.max(all, 1)) * 1000) / 10 }));
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  sampledMs: number;
  /** Per cent of the samples doing nothing: waiting on I/O. */
  idleShare: number;
  byPackage: ProfileCost[];
  byFunction: ProfileCost[];
}

function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native code';
  if (url === '') return 'native';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  if (url.startsWith('node:')) return 'node core';
  return 'implant-trace';
}

function top(costs: Map<string, number>, total: number, count: number): ProfileCost[] {
  return [...costs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => ({ name, share: Math.round((micros / total) * 1000) / 10 }));
}

/** Merges every profile in `directory` (one per process) into one summary of busy time. */
export function summariseProfiles(
  directory: string,
  functions = 12,
  root = process.cwd(),
): ProfileSummary {
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(directory, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    for (const [index, sample] of profile.samples.entries()) {
      const micros = profile.timeDeltas[index] ?? 0;
      const frame = nodes.get(sample)?.callFrame;
      if (frame === undefined) continue;
      total += micros;
      if (frame.functionName === '(idle)') {
        idle += micros;
        continue;
      }
      const pkg = packageOf(frame.url, frame.functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
      const name = frameName(frame, root);
      byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    }
  }
  const busy = total - idle;
  return {
    sampledMs: total / 1000,
    idleShare: total === 0 ? 0 : Math.round((idle / total) * 1000) / 10,
    byPackage: top(byPackage, busy, 10),
    byFunction: top(byFunction, busy, functions),
  };
}

/**
 * `cpu-profile-summary.ts PROFILE…` prints each profile's top costs;
 * `cpu-profile-summary.ts --baseline OUT --commit C --devices N DEVICE_PROFILE IDENTIFIERS_PROFILE`
 * writes them as the baseline the device import benchmark reports its own profile against.
 */
if (require.main === module) {
  void (async () => {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        baseline: { type: 'string' },
        commit: { type: 'string' },
        devices: { type: 'string' },
      },
    });
    if (values.baseline !== undefined) {
      const [device, identifiers] = positionals;
      if (device === undefined || identifiers === undefined) throw new Error('two profiles needed');
      const baseline = {
        commit: values.commit,
        date: new Date().toISOString(),
        devices: Number(values.devices),
        deviceFile: await topCosts(device),
        identifiersFile: await topCosts(identifiers),
      };
      await writeFile(values.baseline, `${JSON.stringify(baseline, null, 2)}\n`);
      return;
    }
    for (const path of positionals) {
      process.stdout.write(`${path}\n`);
      for (const cost of await topCosts(path, 15)) {
        process.stdout.write(`  ${cost.share}% ${cost.name}\n`);
      }
    }
  })();
}
