import type { AiDefinition } from './ai-table';
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
 * State of one parse shared by the GS1 parsers: the year of the caller's clock, or the system
 * year read at most once and only when a date needs it; the AI definitions of the elements
 * found; AIs found inside variable-length values. `parseUdi` reuses one instance, `reset` for
 * each scan: a parse runs no outside code once it has read the clock, so no two parses overlap.
 */
export class Gs1Context {
  private year = -1;
  /** AIs found inside variable-length values (possible dropped separators), created on the first. */
  swallowed: SwallowedAi[] | null = null;
  /** Definitions of the elements found, in order, for the UDI builder. */
  defs: AiDefinition[] = [];

  reset(clockYear: number | undefined): this {
    this.year = clockYear ?? -1;
    this.swallowed = null;
    // A new array costs less than emptying the old one through its length.
    this.defs = [];
    return this;
  }

  currentYear(): number {
    if (this.year < 0) this.year = currentSystemYear();
    return this.year;
  }
}
