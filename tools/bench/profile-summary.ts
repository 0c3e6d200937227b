// Summarises V8 CPU profiles (node --cpu-prof) by where the time went: self time per package
// (kafkajs, pg, typeorm, class-validator, ...) and the costliest functions. Used by the
// benchmarks to commit a profile summary beside their results; written here because the
// profile format is plain JSON and the tools that read it (DevTools, speedscope) are viewers,
// not summarisers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CostLine {
  name: string;
  share: number;
}

export interface ProfileSummary {
  sampledMs: number;
  /** Share of samples doing nothing (waiting on I/O) and of garbage collection. */
  idleShare: number;
  byPackage: CostLine[];
  byFunction: CostLine[];
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

function top(costs: Map<string, number>, total: number, count: number): CostLine[] {
  return [...costs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => ({ name, share: micros / total }));
}

/** Merges every profile in `directory` (one per process) into one summary of busy time. */
export function summariseProfiles(directory: string, functions = 12): ProfileSummary {
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
      const where = frame.url === '' ? '' : ` (${pkg}:${frame.lineNumber + 1})`;
      const name = `${frame.functionName || '(anonymous)'}${where}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    }
  }
  const busy = total - idle;
  return {
    sampledMs: total / 1000,
    idleShare: total === 0 ? 0 : idle / total,
    byPackage: top(byPackage, busy, 10),
    byFunction: top(byFunction, busy, functions),
  };
}

if (require.main === module) {
  const directory = process.argv[2];
  if (directory === undefined) throw new Error('usage: profile-summary.ts <directory>');
  const summary = summariseProfiles(directory);
  const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
  console.log(`sampled ${summary.sampledMs.toFixed(0)} ms, idle ${percent(summary.idleShare)}`);
  for (const line of summary.byPackage) console.log(`  ${percent(line.share)}  ${line.name}`);
  console.log('functions (self time, share of busy time):');
  for (const line of summary.byFunction) console.log(`  ${percent(line.share)}  ${line.name}`);
}
