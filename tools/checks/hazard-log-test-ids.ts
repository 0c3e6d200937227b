import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CitedTest {
  hazard: string;
  file: string;
  titles: string[];
}

export interface CitationProblem {
  citation: CitedTest;
  problem: string;
}

/**
 * A title may end with a note in brackets: `(all)` or `(every test)` for a whole describe block,
 * or a remark on what the test covers. The title is looked for with and without it.
 */
const TRAILING_NOTE = /\s*\([^()]*\)?$/;
const TEST_FILE = /\.(?:spec|int-spec|e2e-spec)\.tsx?$/;

/**
 * The tests each hazard's controls cite, from the log's "tests" column: `` `file` › describe ›
 * test `` entries separated by semicolons, the file named by its path or a unique file name.
 */
export function citedTests(hazardLog: string): CitedTest[] {
  const citations: CitedTest[] = [];
  for (const row of hazardLog.split('\n').filter((line) => line.startsWith('| HAZ-'))) {
    const cells = row.split('|').map((cell) => cell.trim());
    const hazard = cells[1] ?? '';
    for (const match of (cells[6] ?? '').matchAll(/`([^`]+\.tsx?)`((?:\s*›\s*[^›;`]+)+)/g)) {
      const titles = (match[2] ?? '')
        .split('›')
        .map((title) => title.trim())
        .filter((title) => title !== '');
      citations.push({ hazard, file: match[1] ?? '', titles });
    }
  }
  return citations;
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
