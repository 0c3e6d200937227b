/**
 * The label's expiry date is the last day of use (a GS1 day 00 has already become the last
 * day of its month in the parser), so the device is expired from the day after.
 */
export function isExpired(expirationDate: string | undefined, today: string): boolean {
  return expirationDate !== undefined && expirationDate < today;
}
