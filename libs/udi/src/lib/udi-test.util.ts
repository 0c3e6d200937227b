import type { Clock } from '@implant-trace/domain-kernel';

import type { UdiParseResult } from './udi.types';

/** Tests run as if on 2026-06-15, so the GS1 century window gives fixed answers. */
export const TEST_CLOCK: Clock = { now: () => new Date('2026-06-15T12:00:00Z') };

export const GS = '\u001d';

export function errorCodes(result: UdiParseResult): string[] {
  return result.ok ? [] : result.errors.map((e) => e.code);
}

export function warningCodes(result: UdiParseResult): string[] {
  return result.ok ? result.warnings.map((w) => w.code) : [];
}
