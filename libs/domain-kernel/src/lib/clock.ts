/** The source of "now" for domain code, injected so that tests decide what time it is. */
export interface Clock {
  now(): Date;
}

/** The machine's clock, for production wiring. */
export const systemClock: Clock = { now: () => new Date() };
