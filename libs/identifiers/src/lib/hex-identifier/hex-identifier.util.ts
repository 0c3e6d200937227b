/**
 * UUIDs and hex digests (request ids, event ids, hashes) often hold a run of ten digits that
 * passes the NHS number check by chance: `…-9e2f-0123456789ab` does. Scanners for patient
 * identifiers skip these tokens so a device id in an error message or a request id in a log
 * line is neither withheld nor masked. A digest counts from 16 hex characters with a letter.
 */
const HEX_IDENTIFIER =
  /(?<![0-9A-Za-z])(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=[0-9a-f]*[a-f])[0-9a-f]{16,})(?![0-9A-Za-z])/gi;

/**
 * The text split into the parts outside UUIDs and hex digests (even indexes) and those tokens
 * (odd indexes), so `parts.join('')` is the text again.
 */
export function splitAroundHexIdentifiers(text: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (const match of text.matchAll(HEX_IDENTIFIER)) {
    parts.push(text.slice(from, match.index), match[0]);
    from = match.index + match[0].length;
  }
  parts.push(text.slice(from));
  return parts;
}
