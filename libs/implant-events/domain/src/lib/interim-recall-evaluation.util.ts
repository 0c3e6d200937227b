import type { RecallCriteriaValue } from '@implant-trace/contracts';

import type { RecallEvaluation, RecallMatch, RecallSubject } from './scan-check.types';

type Constraint = 'yes' | 'no' | 'unknown';

function within(value: string, window: { from?: string; to?: string }): boolean {
  return (
    (window.from === undefined || value >= window.from) &&
    (window.to === undefined || value <= window.to)
  );
}

/** API.md: numerically when both ends and the value are numeric, else by length then text. */
function inSerialRange(serial: string, range: { from: string; to: string }): boolean {
  const numeric = /^\d+$/;
  if ([serial, range.from, range.to].every((v) => numeric.test(v))) {
    const n = BigInt(serial);
    return n >= BigInt(range.from) && n <= BigInt(range.to);
  }
  const order = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return order(serial, range.from) >= 0 && order(serial, range.to) <= 0;
}

function selectsDevice(criteria: RecallCriteriaValue, subject: RecallSubject): boolean {
  const { device, udi } = subject;
  const identifiers = new Set([...(device?.identifiers ?? []), udi.deviceIdentifier ?? '']);
  if (criteria.deviceIdentifiers?.some((di) => identifiers.has(di))) return true;
  if (device === undefined) return false;
  if (
    device.catalogNumber !== undefined &&
    criteria.catalogNumbers?.includes(device.catalogNumber)
  ) {
    return true;
  }
  return (
    criteria.manufacturer !== undefined &&
    criteria.manufacturer.toLowerCase() === device.manufacturer.toLowerCase() &&
    (criteria.models === undefined ||
      (device.model !== undefined && criteria.models.includes(device.model)))
  );
}

/**
 * Stands in for the shared recall-criteria library until it lands (one injected function, so
 * it is replaced in one place): device selectors, then each production-identifier constraint,
 * `possible` when the scan does not carry a constrained field.
 */
export const interimRecallEvaluation: RecallEvaluation = (
  criteria,
  subject,
): RecallMatch | undefined => {
  if (!selectsDevice(criteria, subject)) return undefined;
  const { udi } = subject;
  const constraints: Constraint[] = [];
  const check = (value: string | undefined, test: (value: string) => boolean) =>
    constraints.push(value === undefined ? 'unknown' : test(value) ? 'yes' : 'no');
  if (criteria.lotNumbers !== undefined) {
    check(udi.lotNumber, (lot) => criteria.lotNumbers?.includes(lot) ?? false);
  }
  if (criteria.serialNumbers !== undefined || criteria.serialRanges !== undefined) {
    check(
      udi.serialNumber,
      (serial) =>
        (criteria.serialNumbers?.includes(serial) ?? false) ||
        (criteria.serialRanges?.some((range) => inSerialRange(serial, range)) ?? false),
    );
  }
  const { manufacturedBetween, expiresBetween } = criteria;
  if (manufacturedBetween !== undefined) {
    check(udi.manufactureDate, (date) => within(date, manufacturedBetween));
  }
  if (expiresBetween !== undefined)
    check(udi.expirationDate, (date) => within(date, expiresBetween));
  if (constraints.includes('no')) return undefined;
  return constraints.includes('unknown') ? 'possible' : 'matched';
};
