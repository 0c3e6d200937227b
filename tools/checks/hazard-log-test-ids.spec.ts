import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  checkCitations,
  checkHazardLog,
  citedTests,
  parseHazards,
  parseRiskMatrix,
  sectionFromOldRow,
} from './hazard-log-test-ids';

const root = join(__dirname, '..', '..');
const docs = join(root, 'docs', 'clinical-safety');
const read = (name: string) => readFileSync(join(docs, name), 'utf8');

const plan = read('risk-management-plan.md');
const log = read('hazard-log.md');
const { matrix, problems: matrixProblems } = parseRiskMatrix(plan);

/** A test this file holds, to cite in the made-up logs below. */
const OWN_TEST =
  '`tools/checks/hazard-log-test-ids.spec.ts` › the risk matrix › is read from the plan';

function section(id: string, fields: Record<string, string> = {}): string {
  const all = {
    Cause: 'a cause',
    'Effect on patients': 'a patient missed',
    'Initial risk': 'likelihood high, severity major: rating 4 (unacceptable)',
    Controls: 'a control',
    'Proving tests': `\n  - ${OWN_TEST}`,
    'Residual risk': 'likelihood very low, severity major: rating 2 (acceptable)',
    Status: 'controlled',
    ...fields,
  };
  const lines = Object.entries(all)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `- **${name}:** ${value}`.trimEnd());
  return [`### ${id} A hazard`, '', ...lines].join('\n');
}

function madeUpLog(sections: string[], index = sections.map((text) => indexRow(text))): string {
  return [
    '# Log',
    '',
    '| id | title | initial | residual | status |',
    '| --- | --- | --- | --- | --- |',
    ...index,
    '',
    '## A service',
    '',
    ...sections,
  ].join('\n');
}

function indexRow(text: string): string {
  const [hazard] = parseHazards(text);
  const rating = (name: string) => /rating (\d)/.exec(hazard?.fields.get(name) ?? '')?.[1];
  return `| ${hazard?.id} | ${hazard?.title} | ${rating('Initial risk')} | ${rating('Residual risk')} | ${(hazard?.fields.get('Status') ?? '').split(';')[0]} |`;
}

describe('the risk matrix', () => {
  it('is read from the plan', () => {
    expect(matrixProblems).toEqual([]);
    expect(matrix.ratings[4]).toEqual([3, 4, 4, 5, 5]);
    expect(matrix.bands.get(3)).toBe('undesirable');
  });

  it('is refused when a likelihood is missing or a rating falls as the risk rises', () => {
    const withoutRow = plan.replace(/^\| very low\s+\| 1 .*\n/m, '');
    expect(parseRiskMatrix(withoutRow).problems).toEqual([
      'the matrix has no row for likelihood "very low"',
    ]);
    const falling = plan.replace(/^(\| high\s+\| 2\s+\| 3\s+\| )3/m, '$11');
    expect(parseRiskMatrix(falling).problems).toEqual([
      expect.stringContaining('high × considerable'),
    ]);
  });
});

describe('the clinical-safety hazard log', () => {
  const hazards = parseHazards(log);

  it('holds every hazard with every DCB0129 field, its ratings as the matrix gives them and an index that agrees', () => {
    expect(hazards.length).toBeGreaterThan(100);
    expect(checkHazardLog(log, matrix)).toEqual([]);
  });

  it('finds each hazard with its group and proving tests', () => {
    const outbox = hazards.find((hazard) => hazard.id === 'HAZ-006');
    expect(outbox?.group).toMatch(/^Platform/);
    expect(outbox?.tests.length).toBeGreaterThanOrEqual(3);
  });

  it('accepts a made-up log in the documented format', () => {
    expect(checkHazardLog(madeUpLog([section('HAZ-901')]), matrix)).toEqual([]);
  });

  it('refuses a hazard without a field', () => {
    expect(checkHazardLog(madeUpLog([section('HAZ-901', { Controls: '' })]), matrix)).toEqual([
      'HAZ-901 has no Controls',
    ]);
  });

  it('refuses fields out of order', () => {
    const swapped = section('HAZ-901').replace(
      /^(- \*\*Cause:\*\* .*)\n(- \*\*Effect on patients:\*\* .*)$/m,
      '$2\n$1',
    );
    expect(checkHazardLog(madeUpLog([swapped]), matrix)).toEqual([
      expect.stringContaining('HAZ-901 lists its fields out of order'),
    ]);
  });

  it('refuses a rating the matrix does not give, and says what it gives', () => {
    const wrong = section('HAZ-901', {
      'Initial risk': 'likelihood high, severity major: rating 3 (undesirable)',
    });
    expect(checkHazardLog(madeUpLog([wrong]), matrix)).toEqual([
      expect.stringContaining(
        'the matrix gives "likelihood high, severity major: rating 4 (unacceptable)"',
      ),
      'index line 5 disagrees with its section: | HAZ-901 | A hazard | 4 | 2 | controlled |',
    ]);
  });

  it('says what a rating left as "rating ? (?)" is, for the section and for the index', () => {
    const unrated = section('HAZ-901', {
      'Initial risk': 'likelihood medium, severity catastrophic: rating ? (?)',
    });
    expect(checkHazardLog(madeUpLog([unrated], []), matrix)).toEqual([
      expect.stringContaining(
        'the matrix gives "likelihood medium, severity catastrophic: rating 4 (unacceptable)"',
      ),
      'HAZ-901 is not in the index: | HAZ-901 | A hazard | 4 | 2 | controlled |',
    ]);
  });

  it('refuses a risk in other words', () => {
    const wrong = section('HAZ-901', { 'Residual risk': 'very low' });
    expect(checkHazardLog(madeUpLog([wrong]), matrix)).toEqual([
      expect.stringContaining('HAZ-901 Residual risk must read'),
      expect.stringContaining('index line 5 disagrees'),
    ]);
  });

  it('refuses a residual risk above the initial risk', () => {
    const worse = section('HAZ-901', {
      'Initial risk': 'likelihood low, severity significant: rating 2 (acceptable)',
      'Residual risk': 'likelihood very low, severity considerable: rating 2 (acceptable)',
    });
    expect(checkHazardLog(madeUpLog([worse]), matrix)).toEqual([
      'HAZ-901 residual severity above the initial',
    ]);
  });

  it('refuses a hazard called controlled with an unacceptable residual risk or no test', () => {
    const unacceptable = section('HAZ-901', {
      'Residual risk': 'likelihood high, severity major: rating 4 (unacceptable)',
    });
    const untested = section('HAZ-902', { 'Proving tests': 'a review' });
    expect(checkHazardLog(madeUpLog([unacceptable, untested]), matrix)).toEqual([
      'HAZ-901 is called controlled with an unacceptable residual risk',
      'HAZ-902 is called controlled but its proving tests cite no test',
    ]);
    const open = section('HAZ-901', {
      'Residual risk': 'likelihood high, severity major: rating 4 (unacceptable)',
      Status: 'open until the benchmark runs',
    });
    expect(checkHazardLog(madeUpLog([open]), matrix)).toEqual([]);
  });

  it('refuses a section missing from the index, an index row without a section, and one id twice', () => {
    const text = madeUpLog(
      [section('HAZ-901'), section('HAZ-902'), section('HAZ-902')],
      [indexRow(section('HAZ-902')), indexRow(section('HAZ-903'))],
    );
    expect(checkHazardLog(text, matrix)).toEqual([
      'HAZ-902 has two sections',
      'HAZ-901 is not in the index: | HAZ-901 | A hazard | 4 | 2 | controlled |',
      'HAZ-903 is in the index but has no section',
    ]);
  });

  it('refuses a row of the old single table and prints it as a section to complete', () => {
    const row = `| HAZ-999 | A hazard | a cause | an effect | a control | ${OWN_TEST}; › is refused when a likelihood is missing or a rating falls as the risk rises; \`tools/checks/project-tags.spec.ts\` | controlled; a note |`;
    const text = `${madeUpLog([section('HAZ-901')])}\n\n${row}\n`;
    const [problem] = checkHazardLog(text, matrix);
    expect(problem).toContain('row of the old table');
    expect(sectionFromOldRow(row)).toBe(
      [
        '### HAZ-999 A hazard',
        '',
        '- **Cause:** a cause',
        '- **Effect on patients:** an effect',
        '- **Initial risk:** likelihood ?, severity ?: rating ? (?)',
        '- **Controls:** a control',
        '- **Proving tests:**',
        `  - ${OWN_TEST}; › is refused when a likelihood is missing or a rating falls as the risk rises`,
        '  - `tools/checks/project-tags.spec.ts`',
        '- **Residual risk:** likelihood ?, severity ?: rating ? (?)',
        '- **Status:** controlled; a note',
      ].join('\n'),
    );
  });
});

describe('test ids cited in docs/clinical-safety', () => {
  const documents = readdirSync(docs).filter((name) => name.endsWith('.md'));
  const citations = documents.flatMap((name) => citedTests(read(name), name));

  it('are found in every document', () => {
    expect(documents).toEqual(
      expect.arrayContaining([
        'hazard-log.md',
        'known-limitations.md',
        'risk-management-plan.md',
        'safety-case-report.md',
      ]),
    );
    expect(citations.length).toBeGreaterThan(300);
    expect(
      citations.filter((citation) => citation.where.startsWith('safety-case-report.md')).length,
    ).toBeGreaterThan(10);
  });

  it('cite only tests that exist: each file committed, each describe and test title in it', () => {
    const problems = checkCitations(root, citations).map(
      ({ citation, problem }) => `${citation.where} ${citation.file}: ${problem}`,
    );
    expect(problems).toEqual([]);
  });

  it('read `; › test` as a sibling of the test before it, and a test file alone as the whole file', () => {
    const line = `${OWN_TEST}; › is refused when a likelihood is missing or a rating falls as the risk rises; \`tools/checks/project-tags.spec.ts\``;
    expect(citedTests(line, 'x.md')).toEqual([
      {
        where: 'x.md:1',
        file: 'tools/checks/hazard-log-test-ids.spec.ts',
        titles: ['the risk matrix', 'is read from the plan'],
      },
      {
        where: 'x.md:1',
        file: 'tools/checks/hazard-log-test-ids.spec.ts',
        titles: [
          'the risk matrix',
          'is refused when a likelihood is missing or a rating falls as the risk rises',
        ],
      },
      { where: 'x.md:1', file: 'tools/checks/project-tags.spec.ts', titles: [] },
    ]);
  });

  it('finds a citation whose test title is not in its file, or whose file is not a test', () => {
    const first = citations.find(
      (citation) =>
        citation.titles.length > 0 && !citation.file.endsWith('hazard-log-test-ids.spec.ts'),
    );
    if (first === undefined) throw new Error('no citation');
    const unwritten = ['a test', 'nobody wrote'].join(' ');
    const renamed = { ...first, titles: [...first.titles, unwritten] };
    const missingFile = { ...first, file: 'libs/nowhere/a.spec.ts' };
    expect(checkCitations(root, [renamed, missingFile])).toEqual([
      { citation: renamed, problem: expect.stringContaining(unwritten) },
      { citation: missingFile, problem: 'no committed test file has this name' },
    ]);
  });
});
