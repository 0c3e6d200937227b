import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { checkCitations, citedTests } from './hazard-log-test-ids';

const root = join(__dirname, '..', '..');

describe('the clinical-safety hazard log', () => {
  const citations = citedTests(
    readFileSync(join(root, 'docs', 'clinical-safety', 'hazard-log.md'), 'utf8'),
  );

  it('cites tests', () => {
    expect(citations.length).toBeGreaterThan(100);
  });

  it('cites only tests that exist: each file committed, each describe and test title in it', () => {
    const problems = checkCitations(root, citations).map(
      ({ citation, problem }) => `${citation.hazard} ${citation.file}: ${problem}`,
    );
    expect(problems).toEqual([]);
  });

  it('finds a citation whose test title is not in its file', () => {
    const [first] = citations;
    if (first === undefined) throw new Error('no citation');
    const renamed = { ...first, titles: [...first.titles, 'a test nobody wrote'] };
    expect(checkCitations(root, [renamed])).toEqual([
      { citation: renamed, problem: expect.stringContaining('a test nobody wrote') },
    ]);
  });
});
