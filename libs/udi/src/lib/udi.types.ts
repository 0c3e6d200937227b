import type { Clock } from '@implant-trace/domain-kernel';

export type UdiFormat = 'gs1' | 'gs1-digital-link' | 'hibcc' | 'iccbba';
export type UdiIssuingAgency = 'GS1' | 'HIBCC' | 'ICCBBA';

/** One data element exactly as found in the scan: GS1 AI, HIBCC field or ISBT 128 data identifier. */
export interface UdiElement {
  ai: string;
  value: string;
}

/** Field names follow FHIR R4 `Device.udiCarrier` / `Device` (STYLE.md). Dates are YYYY-MM-DD. */
export interface Udi {
  format: UdiFormat;
  issuingAgency: UdiIssuingAgency;
  /** GTIN-14 (GS1), LIC + product code + unit of measure (HIBCC), PPIC or a blood container's
   * manufacturer and catalogue number `=)` (ICCBBA). Absent only for a HIBCC secondary symbol,
   * which carries the production data of a primary scanned separately. */
  deviceIdentifier?: string;
  lotNumber?: string;
  serialNumber?: string;
  expirationDate?: string;
  manufactureDate?: string;
  elements: UdiElement[];
}

export interface UdiIssue {
  code: string;
  message: string;
  /** 0-based index in the scan string as passed to `parseUdi`. */
  position?: number;
}

export type UdiParseResult =
  { ok: true; udi: Udi; warnings: UdiIssue[] } | { ok: false; errors: UdiIssue[] };

export interface ParseUdiOptions {
  /** Strings a scanner or keyboard wedge sends in place of GS (ASCII 29), e.g. `'{GS}'`. */
  gsAliases?: string[];
  /** Source of "today" for the GS1 century window; defaults to the system clock. */
  clock?: Clock;
}
