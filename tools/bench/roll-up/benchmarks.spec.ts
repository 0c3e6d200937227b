import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { BENCHMARKS } from './benchmarks';

const docs = join(__dirname, '..', '..', '..', 'docs', 'benchmarks');

describe('the benchmark roll-up', () => {
  it.each(BENCHMARKS.filter((bench) => existsSync(join(docs, bench.resultsFile))))(
    'reads every headline of $name from its committed results, with no value missing',
    (bench) => {
      const rows = bench.headline(JSON.parse(readFileSync(join(docs, bench.resultsFile), 'utf8')));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(Object.values(row).join(' ')).not.toMatch(/NaN|undefined|null|\[object/);
      }
    },
  );

  it('names an npm script that exists for every benchmark', () => {
    const scripts = (
      JSON.parse(readFileSync(join(docs, '..', '..', 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    for (const bench of BENCHMARKS) expect(scripts[bench.script]).toBeDefined();
  });
});
