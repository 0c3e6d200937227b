import type { SwallowedAi } from './element-string.parser';

/** The system year and the UTC span it covers, so `new Date` runs only when the year changes. */
let systemYear = -1;
let yearStartMs = 0;
let nextYearStartMs = -1;

function currentSystemYear(): number {
  const now = Date.now();
  if (now >= nextYearStartMs || now < yearStartMs) {
    systemYear = new Date(now).getUTCFullYear();
    yearStartMs = Date.UTC(systemYear, 0, 1);
    nextYearStartMs = Date.UTC(systemYear + 1, 0, 1);
  }
  return systemYear;
}

/**
 * Per-parse state shared by the GS1 parsers: the year of the caller's clock, or the system year
 * read at most once, and only when a date needs it.
 */
export class Gs1Context {
  private year: number;
  /** AIs found inside variable-length values (possible dropped separators), created on the first. */
  swallowed: SwallowedAi[] | null = null;

  constructor(clockYear: number | undefined) {
    this.year = clockYear ?? -1;
  }

  currentYear(): number {
    if (this.year < 0) this.year = currentSystemYear();
    return this.year;
  }
}
