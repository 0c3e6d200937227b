import type { UdiClock } from '../udi.types';

const SYSTEM_CLOCK: UdiClock = { now: () => new Date() };

/** Per-parse state shared by the GS1 parsers: the clock is read at most once, and only for dates. */
export class Gs1Context {
  private year = -1;

  constructor(private readonly clock: UdiClock = SYSTEM_CLOCK) {}

  currentYear(): number {
    if (this.year < 0) this.year = this.clock.now().getUTCFullYear();
    return this.year;
  }
}
