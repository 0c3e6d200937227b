const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CURSOR_VERSION = 'd1';

export const SEARCH_LIMIT_DEFAULT = 50;
export const SEARCH_LIMIT_MAX = 200;

/**
 * Keyset paging by device id (UUID v7, so creation order): a page is stable while devices are
 * added, unlike an offset. The cursor is opaque to clients but only ever names a device id.
 */
export function encodeSearchCursor(lastDeviceId: string): string {
  return Buffer.from(`${CURSOR_VERSION}:${lastDeviceId}`).toString('base64url');
}

export function decodeSearchCursor(cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const [version, deviceId, ...rest] = decoded.split(':');
  return version === CURSOR_VERSION &&
    rest.length === 0 &&
    deviceId !== undefined &&
    UUID.test(deviceId)
    ? deviceId
    : undefined;
}

/**
 * Free text as a PostgreSQL `to_tsquery('simple', …)` expression: every word must occur, each
 * as a prefix, so "hip ste" finds "Hip Stem". Only letters and digits reach the query, so no
 * input can inject tsquery operators. Undefined when the text holds no word.
 */
export function freeTextQuery(text: string): string | undefined {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .slice(0, 8);
  return words.length === 0 ? undefined : words.map((word) => `${word}:*`).join(' & ');
}
