import type { ParseUdiOptions, Udi, UdiIssue } from '@implant-trace/udi';
import { parseUdi, UdiIssueCode } from '@implant-trace/udi';

/** A parser problem, with the index of the barcode it came from when several were scanned. */
export interface ScanIssue extends UdiIssue {
  barcode?: number;
}

export type AssembledScan =
  { ok: true; udi: Udi; warnings: ScanIssue[] } | { ok: false; errors: ScanIssue[] };

export const ScanAssemblyCode = {
  DIFFERENT_DEVICES: 'SCAN_DIFFERENT_DEVICES',
  CONFLICTING_VALUES: 'SCAN_CONFLICTING_VALUES',
  NO_DEVICE_IDENTIFIER: 'SCAN_NO_DEVICE_IDENTIFIER',
} as const;

const PRODUCTION_FIELDS = [
  'lotNumber',
  'serialNumber',
  'expirationDate',
  'manufactureDate',
] as const satisfies readonly (keyof Udi)[];

/**
 * The only errors of a GS1 barcode that carries production identifiers without the GTIN: GS1
 * pairs (10), (17), (21)... with (01), so such a symbol is read again behind the GTIN of the
 * device-identifier barcode scanned with it.
 */
const MISSING_GTIN_CODES: ReadonlySet<string> = new Set([
  UdiIssueCode.GS1_MISSING_REQUIRED_AI,
  UdiIssueCode.GS1_NO_DEVICE_IDENTIFIER,
]);

const SYMBOLOGY_IDENTIFIER = /^\][A-Za-z][0-9]/;

/** The same symbol with AI (01) in front; GTIN-14 is fixed length, so no separator follows it. */
function behindGtin(scan: string, gtin: string): string {
  if (scan.startsWith('(')) return `(01)${gtin}${scan}`;
  const symbology = SYMBOLOGY_IDENTIFIER.exec(scan)?.[0] ?? '';
  return `${symbology}01${gtin}${scan.slice(symbology.length)}`;
}

function located(issues: readonly UdiIssue[], barcode: number, of: number): ScanIssue[] {
  return of === 1 ? [...issues] : issues.map((issue) => ({ ...issue, barcode }));
}

/**
 * One UDI from the barcodes scanned off one label: a device-identifier barcode and, printed
 * apart, production-identifier barcodes (GS1 (17)(10)(21) symbols, a HIBCC secondary). Two
 * different devices, or two different values of one field, are refused: guessing which one
 * is meant could check the wrong device or the wrong lot.
 */
export function assembleScan(
  barcodes: readonly string[],
  options?: ParseUdiOptions,
): AssembledScan {
  const count = barcodes.length;
  const parsed = barcodes.map((scan) => ({ scan, result: parseUdi(scan, options) }));
  const identified = parsed.flatMap(({ result }, index) =>
    result.ok && result.udi.deviceIdentifier !== undefined ? [{ udi: result.udi, index }] : [],
  );
  const devices = new Set(identified.map(({ udi }) => udi.deviceIdentifier));
  if (devices.size > 1) {
    return {
      ok: false,
      errors: [
        {
          code: ScanAssemblyCode.DIFFERENT_DEVICES,
          message: `the barcodes name different devices: ${[...devices].join(', ')}`,
        },
      ],
    };
  }
  const anchor = identified[0]?.udi;

  const errors: ScanIssue[] = [];
  const parts: { udi: Udi; warnings: ScanIssue[] }[] = [];
  parsed.forEach(({ scan, result }, index) => {
    if (result.ok) {
      parts.push({ udi: result.udi, warnings: located(result.warnings, index, count) });
      return;
    }
    const lacksOnlyGtin = result.errors.every((error) => MISSING_GTIN_CODES.has(error.code));
    if (lacksOnlyGtin && count > 1 && anchor?.format === 'gs1' && anchor.deviceIdentifier) {
      const again = parseUdi(behindGtin(scan, anchor.deviceIdentifier), options);
      if (again.ok) {
        // The (01) read again is the anchor's own element, already kept with the anchor.
        const udi = { ...again.udi, elements: again.udi.elements.slice(1) };
        parts.push({ udi, warnings: located(again.warnings, index, count) });
        return;
      }
    }
    errors.push(...located(result.errors, index, count));
  });
  if (errors.length > 0) return { ok: false, errors };
  if (anchor === undefined) {
    return {
      ok: false,
      errors: [
        {
          code: ScanAssemblyCode.NO_DEVICE_IDENTIFIER,
          message: 'no barcode carries the device identifier',
        },
      ],
    };
  }

  const udi: Udi = { ...anchor, elements: [] };
  for (const { udi: part } of parts) {
    if (part.issuingAgency !== anchor.issuingAgency) {
      errors.push({
        code: ScanAssemblyCode.CONFLICTING_VALUES,
        message: `barcodes of ${anchor.issuingAgency} and ${part.issuingAgency} on one label`,
      });
    }
    for (const field of PRODUCTION_FIELDS) {
      const value = part[field];
      if (value === undefined) continue;
      const held = udi[field];
      if (held !== undefined && held !== value) {
        errors.push({
          code: ScanAssemblyCode.CONFLICTING_VALUES,
          message: `${field} is ${held} on one barcode and ${value} on another`,
        });
      }
      udi[field] = value;
    }
    udi.elements.push(...part.elements);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, udi, warnings: parts.flatMap((part) => part.warnings) };
}
