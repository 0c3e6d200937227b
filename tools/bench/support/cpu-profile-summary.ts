// The top self-time costs of a V8 `.cpuprofile` (node --cpu-prof), grouped by function and
// file, so a benchmark can record where the time went next to what it measured. Hand written:
// the format is a flat node list with sample counts, and summing self time needs no library.
import { readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface ProfileCost {
  name: string;
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
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.startsWith('file://') ? relative(root, url.slice('file://'.length)) : url;
    const where = file === '' ? '' : ` ${file.replace(/^.*node_modules\//, '')}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'}${where}`;
    totals.set(name, (totals.get(name) ?? 0) + hits);
    all += hits;
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, hits]) => ({ name, share: Math.round((hits / Math.max(all, 1)) * 1000) / 10 }));
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
