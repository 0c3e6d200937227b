import type { UdiClock } from '../udi.types';

/** Start of the next UTC year after the cached one, so the system year is recomputed only then. */
let systemYear = -1;
let nextYearStartMs = -1;

function currentSystemYear(): number {
  const now = Date.now();
  if (now >= nextYearStartMs || systemYear < 0) {
    systemYear = new Date(now).getUTCFullYear();
    nextYearStartMs = Date.UTC(systemYear + 1, 0, 1);
  }
  return systemYear;
}

/** Per-parse state shared by the GS1 parsers: the clock is read at most once, and only for dates. */
export class Gs1Context {
  private year = -1;

  constructor(private readonly clock: UdiClock | undefined) {}

  currentYear(): number {
    if (this.year < 0) {
      this.year =
        this.clock === undefined ? currentSystemYear() : this.clock.now().getUTCFullYear();
    }
    return this.year;
  }
}
