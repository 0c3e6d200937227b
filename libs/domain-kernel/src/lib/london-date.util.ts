import type { Clock } from './clock';

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * Today's date in England, `YYYY-MM-DD`: a device that expires today may still be used today,
 * a recall action due today is not yet overdue, and just after midnight BST the UTC date is
 * still yesterday.
 */
export function todayInLondon(clock: Clock): string {
  const parts = Object.fromEntries(
    LONDON_DAY.formatToParts(clock.now()).map((part) => [part.type, part.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}
