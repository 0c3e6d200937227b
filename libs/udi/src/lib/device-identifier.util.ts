import type { Clock } from '@implant-trace/domain-kernel';

import { mod43CheckCharacter } from './check-digits.util';
import { parseUdi } from './parse-udi';
import type { UdiIssuingAgency } from './udi.types';

export type IdentifierCheck = { ok: true; value: string } | { ok: false; message: string };

// A fixed clock: only device identifiers are read here, never dates, so "today" cannot matter.
const clock: Clock = { now: () => new Date(Date.UTC(2026, 0, 1)) };

/**
 * GS1: GTIN-8, -12 (UPC), -13 (EAN) or -14 with a valid check digit, stored as GTIN-14. The
 * shorter forms are widened with leading zeros exactly as GS1 right-justifies them in AI (01);
 * a scan of an EAN-13 or UPC-A box is read as that GTIN-14 by `parseUdi`, so the catalogue must
 * hold the same 14 digits or the scan would not find its device.
 */
function normaliseGtin(raw: string): IdentifierCheck {
  if (!/^(\d{8}|\d{12,14})$/.test(raw)) {
    return { ok: false, message: 'a GS1 device identifier is a GTIN of 8, 12, 13 or 14 digits' };
  }
  const gtin = raw.padStart(14, '0');
  const result = parseUdi(`(01)${gtin}`, { clock });
  if (!result.ok) {
    return { ok: false, message: `not a valid GTIN: ${result.errors[0]?.message ?? 'rejected'}` };
  }
  return { ok: true, value: gtin };
}

/** HIBCC: labeler identification code + product code + unit of measure (no `+`, no check character). */
function normaliseHibcc(raw: string): IdentifierCheck {
  const di = raw.toUpperCase().replace(/^\+/, '');
  if (!/^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]$/.test(di)) {
    return {
      ok: false,
      message:
        'a HIBCC device identifier is a labeler code (a letter and 3 letters or digits), a product code of 1-18 letters or digits and a unit-of-measure digit',
    };
  }
  // A whole primary symbol around the bare identifier, so that parseUdi judges its structure.
  const symbol = `+${di}`;
  const result = parseUdi(`${symbol}${mod43CheckCharacter(symbol, 0, symbol.length) ?? ''}`, {
    clock,
  });
  if (!result.ok || result.udi.deviceIdentifier !== di) {
    const reason = result.ok ? 'structure not recognised' : result.errors[0]?.message;
    return { ok: false, message: `not a valid HIBCC device identifier: ${reason ?? 'rejected'}` };
  }
  return { ok: true, value: di };
}

/** ICCBBA: the 16-character ISBT 128 Processor Product Identification Code. */
function normaliseIccbba(raw: string): IdentifierCheck {
  const ppic = raw.toUpperCase();
  const result = parseUdi(`=/${ppic}`, { clock });
  if (!result.ok || result.udi.deviceIdentifier !== ppic) {
    return {
      ok: false,
      message: 'an ICCBBA device identifier is a 16-character ISBT 128 PPIC',
    };
  }
  return { ok: true, value: ppic };
}

/**
 * Validates a device identifier against its issuing agency's rules and returns the one form the
 * catalogue stores, so that every spelling of an identifier resolves to the same device.
 */
export function normaliseDeviceIdentifier(raw: string, agency: UdiIssuingAgency): IdentifierCheck {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, message: 'the device identifier is empty' };
  switch (agency) {
    case 'GS1':
      return normaliseGtin(trimmed);
    case 'HIBCC':
      return normaliseHibcc(trimmed);
    case 'ICCBBA':
      return normaliseIccbba(trimmed);
  }
}

/**
 * The form a lookup by identifier searches for. The agency is unknown there, so digits are read
 * as a GTIN (widened to 14) and anything else is upper-cased and stripped of a HIBC `+`.
 */
export function lookupFormOf(raw: string): string {
  const trimmed = raw.trim();
  if (/^(\d{8}|\d{12,13})$/.test(trimmed)) return trimmed.padStart(14, '0');
  return trimmed.toUpperCase().replace(/^\+/, '');
}

/** The agency a bare identifier most likely belongs to, for sources that do not say. */
export function inferIssuingAgency(raw: string): UdiIssuingAgency {
  return /^\d+$/.test(raw.trim()) ? 'GS1' : 'HIBCC';
}

/**
 * A device identifier whose agency is not given (a recall's criteria, a notice's list) in the
 * form the catalogue stores, or why it cannot be one: digits are a GTIN; anything else is tried
 * as HIBCC, then as an ISBT 128 PPIC.
 */
export function normaliseAnyDeviceIdentifier(raw: string): IdentifierCheck {
  if (/^\s*\d+\s*$/.test(raw)) return normaliseDeviceIdentifier(raw, 'GS1');
  const hibcc = normaliseDeviceIdentifier(raw, 'HIBCC');
  if (hibcc.ok) return hibcc;
  const iccbba = normaliseDeviceIdentifier(raw, 'ICCBBA');
  return iccbba.ok
    ? iccbba
    : { ok: false, message: 'not a GTIN, a HIBCC device identifier or an ISBT 128 PPIC' };
}
