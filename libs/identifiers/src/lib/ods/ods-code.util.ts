/**
 * The shapes of ODS organisation code this platform accepts for the hospitals and sites
 * where implants are recorded:
 * - `legacy-3`: the structured three-character code of an organisation such as an NHS
 *   trust (`RXH`);
 * - `legacy-5`: the structured five-character code, usually a trust site (`RXH01`: trust
 *   `RXH`, site `01`), though some organisation types (e.g. independent providers) hold a
 *   five-character organisation code, so the first three characters are not always a parent;
 * - `anana`: the unstructured codes ODS has issued for every new organisation and site since
 *   1 April 2020 (DCB0090): letter, digit, letter, digit, letter (`G7H8J`). Their shape says
 *   nothing about the kind of organisation.
 * Other ODS frames (e.g. six-character GP practice codes) do not identify an implanting
 * provider and are rejected as `wrong-length`.
 */
export type OdsCodeKind = 'legacy-3' | 'legacy-5' | 'anana';

/** Why an input does not have the shape of an accepted ODS code. */
export type OdsCodeReason = 'empty' | 'invalid-character' | 'wrong-length';

/**
 * A code with a valid shape. It is not yet a known organisation: that needs the ODS
 * reference data, which the platform does not hold yet.
 */
export type OdsCodeResult =
  | { ok: true; code: string; kind: OdsCodeKind }
  | { ok: false; reason: OdsCodeReason; message: string };

const ANANA = /^[A-Z][0-9][A-Z][0-9][A-Z]$/;

/** Checks the shape of an ODS code, normalised to upper case. Never throws. */
export function parseOdsCode(input: string): OdsCodeResult {
  const trimmed = input.trim();
  if (trimmed === '') {
    return { ok: false, reason: 'empty', message: 'No ODS code was given.' };
  }
  // Checked before upper-casing: Unicode case mapping turns 'ß' into 'SS' and dotless 'ı'
  // into 'I', which would let non-ASCII input pass as a different, valid-looking code.
  if (!/^[A-Za-z0-9]+$/.test(trimmed)) {
    return {
      ok: false,
      reason: 'invalid-character',
      message: 'An ODS code has only letters and digits.',
    };
  }
  const code = trimmed.toUpperCase();
  if (code.length === 3) {
    return { ok: true, code, kind: 'legacy-3' };
  }
  if (code.length === 5) {
    // ANANA first: a five-character code of that shape was issued under DCB0090; legacy
    // site codes end in a two-character site identifier, in practice digits.
    return { ok: true, code, kind: ANANA.test(code) ? 'anana' : 'legacy-5' };
  }
  return {
    ok: false,
    reason: 'wrong-length',
    message: `An organisation or site ODS code has 3 or 5 characters; this has ${code.length}.`,
  };
}

/** True when the input has the shape of an accepted ODS code (not that it exists). */
export function isOdsCodeShape(input: string): boolean {
  return parseOdsCode(input).ok;
}
