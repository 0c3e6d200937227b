import { UDI_FIELD_LIMITS, type RecallCriteriaValue } from '@implant-trace/contracts';
import { parseUdi } from '@implant-trace/udi';

/** The columns of the manufacturer's list that hold each kind of value (by header name). */
export interface ScopeColumns {
  lot?: string;
  serial?: string;
  udi?: string;
}

export const SCOPE_MODES = ['widen', 'set'] as const;
/**
 * `widen`: add the list's values to the fields the criteria already constrain (a field left
 * unconstrained already covers them). `set`: the list's values replace those fields.
 */
export type ScopeMode = (typeof SCOPE_MODES)[number];

export interface ScopeRejection {
  line: number;
  reason: string;
}

export interface ScopeList {
  rows: number;
  deviceIdentifiers: string[];
  lotNumbers: string[];
  serialNumbers: string[];
  rejected: ScopeRejection[];
}

/**
 * Gathers the values of a manufacturer's list row by row (the list is streamed), reporting
 * each unreadable row by its line and keeping the rest. A UDI cell is parsed as a scanner's
 * read would be, and gives its device identifier and whatever lot and serial it carries.
 */
export class ScopeCollector {
  private rows = 0;
  private readonly deviceIdentifiers = new Set<string>();
  private readonly lotNumbers = new Set<string>();
  private readonly serialNumbers = new Set<string>();
  private readonly rejected: ScopeRejection[] = [];

  constructor(private readonly columns: ScopeColumns) {}

  add(line: number, cells: Readonly<Record<string, string | undefined>>): void {
    this.rows++;
    const cell = (column: string | undefined) =>
      column === undefined ? '' : (cells[column] ?? '').trim();
    const found = {
      deviceIdentifiers: [] as string[],
      lots: [] as string[],
      serials: [] as string[],
    };
    const problems: string[] = [];
    const udi = cell(this.columns.udi);
    if (udi !== '') {
      const read = parseUdi(udi);
      if (!read.ok) {
        problems.push(`the UDI cannot be read: ${read.errors.map((e) => e.message).join('; ')}`);
      } else if (read.udi.deviceIdentifier === undefined) {
        problems.push('the UDI carries no device identifier');
      } else {
        found.deviceIdentifiers.push(read.udi.deviceIdentifier);
        if (read.udi.lotNumber !== undefined) found.lots.push(read.udi.lotNumber);
        if (read.udi.serialNumber !== undefined) found.serials.push(read.udi.serialNumber);
      }
    }
    const lot = cell(this.columns.lot);
    if (lot !== '') {
      if (lot.length > UDI_FIELD_LIMITS.lotNumber) {
        problems.push(`the lot is longer than ${UDI_FIELD_LIMITS.lotNumber} characters`);
      } else found.lots.push(lot);
    }
    const serial = cell(this.columns.serial);
    if (serial !== '') {
      if (serial.length > UDI_FIELD_LIMITS.serialNumber) {
        problems.push(`the serial is longer than ${UDI_FIELD_LIMITS.serialNumber} characters`);
      } else found.serials.push(serial);
    }
    if (problems.length === 0 && udi === '' && lot === '' && serial === '') {
      problems.push('the row has no value in any named column');
    }
    // A row is taken whole or not at all: half a unit's identification would widen wrongly.
    if (problems.length > 0) {
      this.rejected.push({ line, reason: problems.join('; ') });
      return;
    }
    for (const value of found.deviceIdentifiers) this.deviceIdentifiers.add(value);
    for (const value of found.lots) this.lotNumbers.add(value);
    for (const value of found.serials) this.serialNumbers.add(value);
  }

  result(): ScopeList {
    return {
      rows: this.rows,
      deviceIdentifiers: [...this.deviceIdentifiers],
      lotNumbers: [...this.lotNumbers],
      serialNumbers: [...this.serialNumbers],
      rejected: this.rejected,
    };
  }
}

const FIELDS = ['deviceIdentifiers', 'lotNumbers', 'serialNumbers'] as const;

/**
 * The criteria with the list applied. The criteria have one list per field, AND-ed, so a list
 * of (device, lot, serial) units becomes the lists of each: every listed unit is covered, and
 * possibly others sharing its values (more patients to check, never one missed). Widening
 * never adds a constraint to a field that has none, since that would narrow it.
 */
export function applyScope(
  criteria: RecallCriteriaValue,
  list: ScopeList,
  mode: ScopeMode,
): RecallCriteriaValue {
  const next: RecallCriteriaValue = { ...criteria };
  for (const field of FIELDS) {
    const values = list[field];
    if (values.length === 0) continue;
    const held = criteria[field];
    // Serial lists and ranges are one constraint on the serial (OR-ed).
    const constrained =
      held !== undefined || (field === 'serialNumbers' && criteria.serialRanges !== undefined);
    if (mode === 'set') {
      next[field] = values;
      // A serial list set from the notice replaces ranges too: the list is the whole scope.
      if (field === 'serialNumbers') delete next.serialRanges;
    } else if (constrained) {
      next[field] = [...new Set([...(held ?? []), ...values])];
    }
  }
  return next;
}
