import type { Udi, UdiIssue, UdiParseResult } from '@implant-trace/udi';
import { hibccLinkMatches, parseUdi, UdiIssueCode } from '@implant-trace/udi';

/**
 * Some labels print the device identifier and the production identifiers (lot, serial,
 * dates) as two barcodes. The page collects the barcodes of one label and sends them together
 * as `barcodes`; implant-events assembles them into one UDI. Here only the question "is this
 * label complete?" is answered, from how each barcode parses.
 */

export type LabelPart = 'complete' | 'device-identifier' | 'production' | 'unreadable';

const MISSING_GTIN: ReadonlySet<string> = new Set([
  UdiIssueCode.GS1_MISSING_REQUIRED_AI,
  UdiIssueCode.GS1_NO_DEVICE_IDENTIFIER,
]);

const PRODUCTION_FIELDS = [
  'lotNumber',
  'serialNumber',
  'expirationDate',
  'manufactureDate',
] as const satisfies readonly (keyof Udi)[];

function hasProductionData(udi: Udi): boolean {
  return PRODUCTION_FIELDS.some((field) => udi[field] !== undefined);
}

export function partOf(result: UdiParseResult): LabelPart {
  if (result.ok) {
    if (result.udi.deviceIdentifier === undefined) return 'production';
    return hasProductionData(result.udi) ? 'complete' : 'device-identifier';
  }
  return result.errors.every((error) => MISSING_GTIN.has(error.code)) ? 'production' : 'unreadable';
}

export interface ScannedBarcode {
  scan: string;
  result: UdiParseResult;
  part: LabelPart;
}

export type LabelState =
  | { kind: 'empty' }
  /** One barcode of a two-barcode label; the other is awaited (or waived for a DI-only label). */
  | { kind: 'partial'; barcodes: [ScannedBarcode]; awaiting: 'production' | 'device-identifier' }
  | { kind: 'complete'; barcodes: ScannedBarcode[]; warnings: UdiIssue[] }
  | { kind: 'unreadable'; scan: string; errors: UdiIssue[] };

export const EMPTY_LABEL: LabelState = { kind: 'empty' };

function complete(barcodes: ScannedBarcode[]): LabelState {
  const warnings = barcodes.flatMap(({ result }) => (result.ok ? result.warnings : []));
  return { kind: 'complete', barcodes, warnings };
}

/** Whether a HIBCC secondary belongs to the primary beside it; GS1 pairs by the GTIN alone. */
function belongTogether(deviceIdentifier: ScannedBarcode, production: ScannedBarcode): boolean {
  const primary = deviceIdentifier.result;
  const secondary = production.result;
  if (!primary.ok) return false;
  if (primary.udi.format === 'hibcc') {
    return (
      secondary.ok &&
      secondary.udi.format === 'hibcc' &&
      hibccLinkMatches(primary.udi, secondary.udi)
    );
  }
  return primary.udi.issuingAgency === 'GS1' && !secondary.ok;
}

/** The label after one more device barcode was scanned (already in canonical form). */
export function addBarcode(state: LabelState, scan: string): LabelState {
  const result = parseUdi(scan);
  const barcode: ScannedBarcode = { scan, result, part: partOf(result) };
  switch (barcode.part) {
    case 'unreadable':
      return { kind: 'unreadable', scan, errors: result.ok ? [] : result.errors };
    case 'complete':
      return complete([barcode]);
    case 'device-identifier':
      if (state.kind === 'partial' && state.awaiting === 'device-identifier') {
        const [production] = state.barcodes;
        if (belongTogether(barcode, production)) return complete([barcode, production]);
      }
      return { kind: 'partial', barcodes: [barcode], awaiting: 'production' };
    case 'production':
      if (state.kind === 'partial' && state.awaiting === 'production') {
        const [deviceIdentifier] = state.barcodes;
        if (belongTogether(deviceIdentifier, barcode)) return complete([deviceIdentifier, barcode]);
      }
      return { kind: 'partial', barcodes: [barcode], awaiting: 'device-identifier' };
  }
}

/**
 * A label that prints only the device identifier (no lot or serial) is complete as it is; the
 * person says so rather than the page guessing after a timeout.
 */
export function waiveProductionBarcode(state: LabelState): LabelState {
  if (state.kind !== 'partial' || state.awaiting !== 'production') return state;
  return complete(state.barcodes);
}

/** The `barcode`/`barcodes` member of a scan check or recording body. */
export function barcodesBody(
  state: Extract<LabelState, { kind: 'complete' }>,
): { barcode: string } | { barcodes: string[] } {
  const scans = state.barcodes.map(({ scan }) => scan);
  return scans.length === 1 ? { barcode: scans[0] as string } : { barcodes: scans };
}
