import type { Clock } from '@implant-trace/domain-kernel';

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * Today's date in theatre, `YYYY-MM-DD`: a device that expires today may still be used
 * today in England, and just after midnight BST the UTC date is still yesterday.
 */
export function todayInLondon(clock: Clock): string {
  const parts = Object.fromEntries(
    LONDON_DAY.formatToParts(clock.now()).map((part) => [part.type, part.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}

/**
 * The label's expiry date is the last day of use (a GS1 day 00 has already become the last
 * day of its month in the parser), so the device is expired from the day after.
 */
export function isExpired(expirationDate: string | undefined, today: string): boolean {
  return expirationDate !== undefined && expirationDate < today;
}
