import type { Udi, UdiElement } from '../udi.types';
import { DL_QUALIFIERS, NOT_DATA_ATTRIBUTES } from './digital-link.parser';
import { assertGs1 } from './element-string.formatter';

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Percent-encodes everything outside the URI unreserved set, so any set-82 value survives. */
function encode(value: string): string {
  let out = '';
  for (const ch of value) {
    if (UNRESERVED.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of new TextEncoder().encode(ch)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/**
 * The GS1 Digital Link URI of a GS1 UDI on `baseUrl` (e.g. `https://id.gs1.org`, any prefix
 * path kept): the GTIN and its path qualifiers in the order the standard sets, every other AI
 * in the query string in stored order. Throws RangeError for a non-GS1 UDI, a base URL that is
 * not http(s), or an AI that may be neither in the path nor a data attribute (e.g. MUDI 8014).
 */
export function formatGs1DigitalLink(udi: Udi, baseUrl: string): string {
  assertGs1(udi, 'formatGs1DigitalLink');
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(baseUrl)) {
    throw new RangeError(
      `formatGs1DigitalLink: ${JSON.stringify(baseUrl)} is not an http(s) base URL`,
    );
  }
  const primary = udi.elements.find((e) => DL_QUALIFIERS.has(e.ai));
  if (primary === undefined)
    throw new RangeError('formatGs1DigitalLink: the UDI has no GS1 primary key');
  const present = new Set(udi.elements.map((e) => e.ai));
  const chain =
    (DL_QUALIFIERS.get(primary.ai) ?? []).find((c) => c.some((ai) => present.has(ai))) ?? [];
  let path = `/${primary.ai}/${encode(primary.value)}`;
  const inPath = new Set<UdiElement>([primary]);
  for (const ai of chain) {
    const q = udi.elements.find((e) => e.ai === ai);
    if (q === undefined) continue;
    path += `/${ai}/${encode(q.value)}`;
    inPath.add(q);
  }
  const attributes = udi.elements.filter((e) => !inPath.has(e));
  const misplaced = attributes.find((e) => NOT_DATA_ATTRIBUTES.has(e.ai));
  if (misplaced !== undefined) {
    throw new RangeError(
      `formatGs1DigitalLink: AI (${misplaced.ai}) is not permitted as a Digital Link data attribute`,
    );
  }
  const query = attributes.map((e) => `${e.ai}=${encode(e.value)}`).join('&');
  return `${baseUrl.replace(/\/+$/, '')}${path}${query === '' ? '' : `?${query}`}`;
}
