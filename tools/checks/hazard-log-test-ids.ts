import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Checks of the clinical-safety documents (docs/clinical-safety): the hazard log's DCB0129
 * fields and ratings against the risk management plan's matrix, and every test id any of the
 * documents cites against the committed test files.
 */

export const LIKELIHOODS = ['very low', 'low', 'medium', 'high', 'very high'] as const;
export const SEVERITIES = [
  'minor',
  'significant',
  'considerable',
  'major',
  'catastrophic',
] as const;
export const BANDS = ['acceptable', 'undesirable', 'unacceptable'] as const;

export type Likelihood = (typeof LIKELIHOODS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Band = (typeof BANDS)[number];

/** The plan's 5x5 matrix: `ratings[likelihood][severity]`, in the orders above, and each rating's band. */
export interface RiskMatrix {
  ratings: number[][];
  bands: Map<number, Band>;
}

export interface Risk {
  likelihood: Likelihood;
  severity: Severity;
  rating: number;
  band: string;
}

export interface CitedTest {
  /** Where the citation is: document, line and, in the hazard log, the hazard. */
  where: string;
  file: string;
  titles: string[];
}

export interface CitationProblem {
  citation: CitedTest;
  problem: string;
}

export interface Hazard {
  id: string;
  title: string;
  /** The `## ` heading the hazard sits under (its service or library). */
  group: string;
  fields: Map<string, string>;
  tests: CitedTest[];
}

/** Every field a hazard section must have, in the order the log lists them. */
export const HAZARD_FIELDS = [
  'Cause',
  'Effect on patients',
  'Initial risk',
  'Controls',
  'Proving tests',
  'Residual risk',
  'Status',
] as const;

const cellsOf = (row: string): string[] =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

const isTableRow = (line: string) => line.trim().startsWith('|');
const isDelimiterRow = (line: string) => /^\|(?:\s*:?-+:?\s*\|)+$/.test(line.trim());

/** The rows (cells, with line numbers) of the first table whose header `header` accepts. */
function findTable(
  lines: readonly string[],
  header: (cells: string[]) => boolean,
): { header: string[]; rows: { cells: string[]; line: number }[] } | undefined {
  const start = lines.findIndex(
    (line, at) =>
      isTableRow(line) &&
      isDelimiterRow(lines[at + 1] ?? '') &&
      header(cellsOf(line).map((cell) => cell.toLowerCase())),
  );
  if (start < 0) return undefined;
  const rows: { cells: string[]; line: number }[] = [];
  for (let at = start + 2; at < lines.length && isTableRow(lines[at] ?? ''); at += 1) {
    rows.push({ cells: cellsOf(lines[at] ?? ''), line: at + 1 });
  }
  return { header: cellsOf(lines[start] ?? ''), rows };
}

/**
 * The matrix and bands tables of the risk management plan. They are the one home of the
 * rating rule, so the log is checked against what the plan says rather than a copy of it.
 */
export function parseRiskMatrix(plan: string): { matrix: RiskMatrix; problems: string[] } {
  const lines = plan.split('\n');
  const problems: string[] = [];
  const ratings: number[][] = LIKELIHOODS.map(() => SEVERITIES.map(() => 0));
  const matrixTable = findTable(
    lines,
    ([first = '', ...rest]) => first.startsWith('likelihood') && rest.includes('minor'),
  );
  if (matrixTable === undefined) {
    problems.push(
      'the plan has no matrix table (header: | likelihood … | minor | … | catastrophic |)',
    );
  } else {
    const severities = matrixTable.header.slice(1).map((cell) => cell.toLowerCase());
    if (severities.join('|') !== SEVERITIES.join('|')) {
      problems.push(
        `the matrix's columns must be ${SEVERITIES.join(', ')}; found ${severities.join(', ')}`,
      );
    }
    const seen = new Set<Likelihood>();
    for (const { cells, line } of matrixTable.rows) {
      const likelihood = LIKELIHOODS.indexOf((cells[0] ?? '').toLowerCase() as Likelihood);
      const values = cells.slice(1).map(Number);
      if (
        likelihood < 0 ||
        values.length !== SEVERITIES.length ||
        values.some((v) => !Number.isInteger(v) || v < 1 || v > 5)
      ) {
        problems.push(`matrix line ${line}: a likelihood and five ratings 1-5 expected`);
        continue;
      }
      seen.add(LIKELIHOODS[likelihood] ?? 'very low');
      ratings[likelihood] = values;
    }
    for (const likelihood of LIKELIHOODS.filter((l) => !seen.has(l))) {
      problems.push(`the matrix has no row for likelihood "${likelihood}"`);
    }
    if (problems.length === 0) {
      // A rating that falls as likelihood or severity rises would let a worse hazard rate lower.
      ratings.forEach((row, l) =>
        row.forEach((rating, s) => {
          if (
            (s > 0 && rating < (row[s - 1] ?? 0)) ||
            (l > 0 && rating < (ratings[l - 1]?.[s] ?? 0))
          ) {
            problems.push(`the matrix falls at ${LIKELIHOODS[l]} × ${SEVERITIES[s]}`);
          }
        }),
      );
    }
  }
  const bands = new Map<number, Band>();
  const bandTable = findTable(lines, ([first, second]) => first === 'rating' && second === 'band');
  for (const { cells, line } of bandTable?.rows ?? []) {
    const rating = Number(cells[0]);
    const band = (cells[1] ?? '').toLowerCase() as Band;
    if (!Number.isInteger(rating) || !BANDS.includes(band)) {
      problems.push(`bands line ${line}: a rating and one of ${BANDS.join(', ')} expected`);
    } else {
      bands.set(rating, band);
    }
  }
  for (const rating of [1, 2, 3, 4, 5].filter((r) => !bands.has(r))) {
    problems.push(
      `the plan's bands table (| rating | band | … |) has no band for rating ${rating}`,
    );
  }
  return { matrix: { ratings, bands }, problems };
}

/**
 * A title may end with a note in brackets: `(all)` or `(every test)` for a whole describe block,
 * or a remark on what the test covers. The title is looked for with and without it.
 */
const TRAILING_NOTE = /\s*\([^()]*\)?$/;
const TEST_FILE = /\.(?:spec|int-spec|e2e-spec)\.tsx?$/;
/**
 * A test id: `` `file` › describe › test ``, or `; › test` continuing the citation before it on
 * the line (same file and describe blocks, another test), or a whole test file on its own.
 */
const CITATION =
  /(?:`([^`\s]+\.tsx?)`|(;))((?:\s*›\s*[^›;`]+)+)|`([^`\s]+\.(?:spec|int-spec|e2e-spec)\.tsx?)`(?!\s*›)/g;

/** The test ids cited in a markdown document, each with where it is (`where` names the document). */
export function citedTests(markdown: string, where: string): CitedTest[] {
  const citations: CitedTest[] = [];
  let hazard = '';
  markdown.split('\n').forEach((line, index) => {
    hazard = /^#{1,6} /.test(line) ? (/^### (HAZ-\d{3})\b/.exec(line)?.[1] ?? '') : hazard;
    const at = `${where}:${index + 1}${hazard === '' ? '' : ` ${hazard}`}`;
    let previous: CitedTest | undefined;
    for (const match of line.matchAll(CITATION)) {
      const [, file, continuation, path, wholeFile] = match;
      if (wholeFile !== undefined) {
        previous = { where: at, file: wholeFile, titles: [] };
        citations.push(previous);
        continue;
      }
      const titles = (path ?? '')
        .split('›')
        .map((title) => title.trim())
        .filter((title) => title !== '');
      if (continuation !== undefined) {
        // `; › test` replaces the last titles of the citation it follows: a sibling test.
        if (previous === undefined) continue;
        const kept = previous.titles.slice(0, Math.max(0, previous.titles.length - titles.length));
        previous = { where: at, file: previous.file, titles: [...kept, ...titles] };
      } else {
        previous = { where: at, file: file ?? '', titles };
      }
      citations.push(previous);
    }
  });
  return citations;
}

/** A risk as the log writes it; `rating ? (?)` is accepted for the checker to say what it is. */
const RISK =
  /^likelihood (very low|low|medium|high|very high), severity (minor|significant|considerable|major|catastrophic): rating (\d+|\?) \(([a-z]+|\?)\)$/;

function parseRisk(text: string): Risk | undefined {
  const match = RISK.exec(text.trim());
  if (match === null) return undefined;
  return {
    likelihood: match[1] as Likelihood,
    severity: match[2] as Severity,
    rating: Number(match[3]),
    band: match[4] ?? '',
  };
}

const ratingOf = (matrix: RiskMatrix, likelihood: Likelihood, severity: Severity): number =>
  matrix.ratings[LIKELIHOODS.indexOf(likelihood)]?.[SEVERITIES.indexOf(severity)] ?? 0;

/** How a risk is written, for the log and for messages that say what the matrix gives. */
export function formatRisk(matrix: RiskMatrix, likelihood: Likelihood, severity: Severity): string {
  const rating = ratingOf(matrix, likelihood, severity);
  return `likelihood ${likelihood}, severity ${severity}: rating ${rating} (${matrix.bands.get(rating) ?? '?'})`;
}

/** The hazard sections of the log (`### HAZ-nnn title` and its `- **Field:** value` list). */
export function parseHazards(log: string): Hazard[] {
  const hazards: Hazard[] = [];
  let group = '';
  let hazard: Hazard | undefined;
  let field: string | undefined;
  for (const line of log.split('\n')) {
    if (/^#{1,6} /.test(line)) {
      hazard = undefined;
      field = undefined;
      if (line.startsWith('## ')) group = line.slice(3).trim();
      const heading = /^### (HAZ-\d{3})\s+(.*)$/.exec(line);
      if (heading !== null) {
        hazard = {
          id: heading[1] ?? '',
          title: (heading[2] ?? '').trim(),
          group,
          fields: new Map(),
          tests: [],
        };
        hazards.push(hazard);
      }
      continue;
    }
    if (hazard === undefined) continue;
    const start = /^- \*\*([^*]+):\*\*\s*(.*)$/.exec(line);
    if (start !== null) {
      field = start[1] ?? '';
      hazard.fields.set(field, (start[2] ?? '').trim());
    } else if (field !== undefined && /^\s+\S/.test(line)) {
      hazard.fields.set(field, `${hazard.fields.get(field) ?? ''}\n${line.trim()}`.trim());
    }
  }
  for (const hazard of hazards) {
    hazard.tests = citedTests(
      hazard.fields.get('Proving tests') ?? '',
      `hazard-log.md ${hazard.id}`,
    );
  }
  return hazards;
}

/** The index table's columns. */
export const INDEX_HEADER = ['id', 'title', 'initial', 'residual', 'status'];

/** The status as the index shows it: up to its first semicolon. */
const shortStatus = (status: string) => status.split(';')[0]?.trim() ?? '';

/**
 * A row of the old one-table log (id, hazard, cause, effect, controls, tests, status) as a
 * section of the present log, its ratings left for a person to judge.
 */
export function sectionFromOldRow(row: string): string {
  const [id = '', title = '', cause = '', effect = '', controls = '', tests = '', status = ''] =
    cellsOf(row);
  const testItems = tests
    .split(/;\s*(?=`)/)
    .map((item) => `  - ${item.trim()}`)
    .join('\n');
  return [
    `### ${id} ${title}`,
    '',
    `- **Cause:** ${cause}`,
    `- **Effect on patients:** ${effect}`,
    '- **Initial risk:** likelihood ?, severity ?: rating ? (?)',
    `- **Controls:** ${controls}`,
    '- **Proving tests:**',
    testItems,
    '- **Residual risk:** likelihood ?, severity ?: rating ? (?)',
    `- **Status:** ${status}`,
  ].join('\n');
}

/**
 * Everything wrong with the hazard log as a DCB0129 log: rows still in the old table format,
 * missing fields, ratings the plan's matrix does not give, residual risk above initial risk,
 * a hazard called controlled with an unacceptable residual risk or no test, and an index that
 * disagrees with the sections.
 */
export function checkHazardLog(log: string, matrix: RiskMatrix): string[] {
  const problems: string[] = [];
  const lines = log.split('\n');
  const index = findTable(lines, (cells) => cells.join('|') === INDEX_HEADER.join('|'));
  const indexLines = new Set(index?.rows.map((row) => row.line) ?? []);
  lines.forEach((line, at) => {
    if (line.startsWith('| HAZ-') && !indexLines.has(at + 1)) {
      problems.push(
        `line ${at + 1} is a row of the old table: convert it into a section (and an index row), judging its ratings:\n${sectionFromOldRow(line)}`,
      );
    }
  });
  const hazards = parseHazards(log);
  const seen = new Set<string>();
  for (const hazard of hazards) {
    const { id, fields } = hazard;
    if (seen.has(id)) problems.push(`${id} has two sections`);
    seen.add(id);
    for (const name of HAZARD_FIELDS.filter((name) => (fields.get(name) ?? '') === '')) {
      problems.push(`${id} has no ${name}`);
    }
    for (const name of [...fields.keys()].filter(
      (name) => !(HAZARD_FIELDS as readonly string[]).includes(name),
    )) {
      problems.push(`${id} has a field the log does not define: ${name}`);
    }
    const order = HAZARD_FIELDS.filter((name) => fields.has(name));
    if (
      [...fields.keys()]
        .filter((name) => (HAZARD_FIELDS as readonly string[]).includes(name))
        .join('|') !== order.join('|')
    ) {
      problems.push(`${id} lists its fields out of order: ${HAZARD_FIELDS.join(', ')}`);
    }
    const risks = (['Initial risk', 'Residual risk'] as const).map((name) => {
      const text = fields.get(name);
      if (text === undefined || text === '') return undefined;
      const risk = parseRisk(text);
      if (risk === undefined) {
        problems.push(
          `${id} ${name} must read "likelihood <l>, severity <s>: rating <n> (<band>)": ${text}`,
        );
        return undefined;
      }
      const expected = formatRisk(matrix, risk.likelihood, risk.severity);
      if (text.trim() !== expected)
        problems.push(`${id} ${name}: the matrix gives "${expected}", the log says "${text}"`);
      return risk;
    });
    const [initial, residual] = risks;
    if (initial !== undefined && residual !== undefined) {
      const worse = [
        LIKELIHOODS.indexOf(residual.likelihood) > LIKELIHOODS.indexOf(initial.likelihood)
          ? 'likelihood'
          : '',
        SEVERITIES.indexOf(residual.severity) > SEVERITIES.indexOf(initial.severity)
          ? 'severity'
          : '',
      ].filter((what) => what !== '');
      if (worse.length > 0)
        problems.push(`${id} residual ${worse.join(' and ')} above the initial`);
    }
    const status = fields.get('Status') ?? '';
    if (status !== '' && !/^(?:controlled|open)\b/.test(status)) {
      problems.push(`${id} status must begin "controlled" or "open": ${status}`);
    }
    if (status.startsWith('controlled')) {
      const rating =
        residual === undefined
          ? undefined
          : ratingOf(matrix, residual.likelihood, residual.severity);
      if (rating !== undefined && matrix.bands.get(rating) === 'unacceptable') {
        problems.push(`${id} is called controlled with an unacceptable residual risk`);
      }
      if (hazard.tests.length === 0)
        problems.push(`${id} is called controlled but its proving tests cite no test`);
    }
  }
  if (index === undefined) {
    problems.push('the log has no index table (| id | title | initial | residual | status |)');
    return problems;
  }
  const indexed = new Map(index.rows.map((row) => [row.cells[0] ?? '', row]));
  for (const hazard of hazards) {
    const row = indexed.get(hazard.id);
    const risk = (name: string) => {
      const stated = parseRisk(hazard.fields.get(name) ?? '');
      return stated === undefined
        ? '?'
        : String(ratingOf(matrix, stated.likelihood, stated.severity));
    };
    const expected = [
      hazard.id,
      hazard.title,
      risk('Initial risk'),
      risk('Residual risk'),
      shortStatus(hazard.fields.get('Status') ?? ''),
    ];
    if (row === undefined) {
      problems.push(`${hazard.id} is not in the index: | ${expected.join(' | ')} |`);
    } else if (row.cells.join('|') !== expected.join('|')) {
      problems.push(
        `index line ${row.line} disagrees with its section: | ${expected.join(' | ')} |`,
      );
    }
  }
  for (const id of [...indexed.keys()].filter((id) => !seen.has(id))) {
    problems.push(`${id} is in the index but has no section`);
  }
  return problems;
}

/** Jest's printf-style and `$name` placeholders in a parameterised title. */
const PLACEHOLDER = /%[sdifjo#]|\$[A-Za-z_][\w.]*/;
/** A parameterised title needs this much fixed text to say which test it is. */
const MIN_FIXED_TEXT = 8;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The parameterised titles of a source (`it.each` with `%s` or `$name`), as patterns a cited
 * title (the title as Jest prints it) must match whole.
 */
function parameterisedTitles(source: string): RegExp[] {
  const literals = [...source.matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g)].map(
    (match) => match[1] ?? match[2] ?? '',
  );
  return literals
    .filter(
      (literal) =>
        PLACEHOLDER.test(literal) &&
        literal.split(PLACEHOLDER).join('').trim().length >= MIN_FIXED_TEXT,
    )
    .map((literal) => new RegExp(`^${literal.split(PLACEHOLDER).map(escape).join('(.+?)')}$`));
}

function titleFound(title: string, source: string, parameterised: readonly RegExp[]): boolean {
  const forms = [title, title.replace(TRAILING_NOTE, '')];
  return forms.some(
    (form) =>
      form !== '' && (source.includes(form) || parameterised.some((pattern) => pattern.test(form))),
  );
}

/**
 * Each citation whose file is not a committed test file, or whose describe and test titles are
 * not all in it. Titles are looked for as text in the source (quotes unescaped), which a
 * renamed or deleted test fails.
 */
export function checkCitations(root: string, citations: readonly CitedTest[]): CitationProblem[] {
  const testFiles = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => TEST_FILE.test(file));
  const sources = new Map<string, { text: string; parameterised: RegExp[] }>();
  const problems: CitationProblem[] = [];
  for (const citation of citations) {
    const candidates = testFiles.filter(
      (file) => file === citation.file || file.endsWith(`/${citation.file}`),
    );
    if (candidates.length !== 1) {
      problems.push({
        citation,
        problem:
          candidates.length === 0
            ? 'no committed test file has this name'
            : `the name is ambiguous: ${candidates.join(', ')}`,
      });
      continue;
    }
    const path = candidates[0] ?? '';
    let read = sources.get(path);
    if (read === undefined) {
      const text = readFileSync(join(root, path), 'utf8');
      read = { text: text.replace(/\\(['"`])/g, '$1'), parameterised: parameterisedTitles(text) };
      sources.set(path, read);
    }
    const { text, parameterised } = read;
    const missing = citation.titles.filter((title) => !titleFound(title, text, parameterised));
    if (missing.length > 0) {
      problems.push({ citation, problem: `not in ${path}: ${missing.join(' | ')}` });
    }
  }
  return problems;
}
