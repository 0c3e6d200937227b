import type { Options as CsvOptions } from 'csv-parse/sync';
import { CsvError, parse as parseCsv } from 'csv-parse/sync';

import { inferIssuingAgency, normaliseDeviceIdentifier } from '@implant-trace/udi';

import type {
  DeviceChange,
  DeviceIdentifier,
  DeviceIdentifierType,
  IssuingAgency,
  LabelCarries,
  MarketStatus,
  MriSafety,
} from './device-record.types';
import {
  DEVICE_IDENTIFIER_TYPES,
  ISSUING_AGENCIES,
  MRI_SAFETY,
  MARKET_STATUSES,
} from './device-record.types';
import { buildDeviceDraft } from './device-draft.util';

/**
 * `gudid-device`: the FDA GUDID release `device.txt` (one device per line, its primary DI).
 * `gudid-identifiers`: the GUDID `identifiers.txt` (one identifier per line, keyed by PrimaryDI).
 * `csv`: one device per line with its other identifiers in one column.
 */
export type ImportFormat = 'gudid-device' | 'gudid-identifiers' | 'csv';

export type RowResult =
  | { kind: 'change'; change: DeviceChange }
  | { kind: 'blank' }
  | { kind: 'rejected'; reason: string };

export interface ImportRowParser {
  format: ImportFormat;
  parse(line: string): RowResult;
}

export type HeaderResult = { ok: true; parser: ImportRowParser } | { ok: false; reason: string };

const GUDID_MRI: Record<string, MriSafety> = {
  'mr safe': 'safe',
  'mr conditional': 'conditional',
  'mr unsafe': 'unsafe',
  'labeling does not contain mri safety information': 'unknown',
};

const GUDID_DISTRIBUTION: Record<string, MarketStatus> = {
  'in commercial distribution': 'on-market',
  'not in commercial distribution': 'withdrawn',
};

const GUDID_ID_TYPES: Record<string, DeviceIdentifierType> = {
  primary: 'primary',
  package: 'package',
  'unit of use': 'unit-of-use',
  'direct marking': 'direct-marking',
  secondary: 'secondary',
  previous: 'previous',
};

class RowRejected extends Error {}

function reject(reason: string): never {
  throw new RowRejected(reason);
}

/** Reads named columns of one row; header names are matched without regard to case. */
class Row {
  constructor(
    private readonly columns: ReadonlyMap<string, number>,
    private readonly fields: readonly string[],
  ) {}

  optional(name: string): string | undefined {
    const index = this.columns.get(name.toLowerCase());
    const value = index === undefined ? undefined : this.fields[index]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  required(name: string): string {
    return this.optional(name) ?? reject(`${name} is empty`);
  }

  flag(name: string): boolean | undefined {
    const value = this.optional(name)?.toLowerCase();
    if (value === undefined) return undefined;
    if (value === 'true' || value === 'yes' || value === 'y' || value === '1') return true;
    if (value === 'false' || value === 'no' || value === 'n' || value === '0') return false;
    return reject(`${name} is "${value}", not true or false`);
  }

  mapped<T>(name: string, table: Record<string, T>): T | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    return table[value.toLowerCase()] ?? reject(`${name} "${value}" is not recognised`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    return (allowed as readonly string[]).includes(value)
      ? (value as T)
      : reject(`${name} "${value}" is not one of ${allowed.join(', ')}`);
  }

  quantity(name: string): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    return /^[1-9]\d{0,8}$/.test(value)
      ? Number(value)
      : reject(`${name} "${value}" is not a positive whole number`);
  }
}

/**
 * What the label carries: all four flags, or none (a device already registered keeps its own).
 * A flag left blank is never read as false: that would make its implants mere possible matches.
 */
function labelCarries(row: Row, names: [string, string, string, string]): LabelCarries | undefined {
  const flags = names.map((name) => row.flag(name));
  if (flags.every((value) => value === undefined)) return undefined;
  const blank = names.filter((_name, index) => flags[index] === undefined);
  if (blank.length > 0) {
    reject(`${blank.join(', ')} empty: the label flags ${names.join(', ')} go together`);
  }
  const flag = (index: number) => flags[index] === true;
  return {
    lotNumber: flag(0),
    serialNumber: flag(1),
    expirationDate: flag(2),
    manufactureDate: flag(3),
  };
}

function agencyOf(value: string | undefined, deviceIdentifier: string): IssuingAgency {
  if (value === undefined) return inferIssuingAgency(deviceIdentifier);
  return (ISSUING_AGENCIES as readonly string[]).includes(value.toUpperCase())
    ? (value.toUpperCase() as IssuingAgency)
    : reject(`issuing agency "${value}" is not supported (GS1, HIBCC or ICCBBA)`);
}

function upsert(input: Parameters<typeof buildDeviceDraft>[0]): DeviceChange {
  const result = buildDeviceDraft(input);
  if (!result.ok) {
    reject(result.problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '));
  }
  return { kind: 'upsert', draft: result.draft };
}

function gudidDevice(row: Row): DeviceChange {
  const primary = row.required('PrimaryDI');
  return upsert({
    identifiers: [
      {
        deviceIdentifier: primary,
        issuingAgency: agencyOf(row.optional('deviceIdIssuingAgency'), primary),
        type: 'primary',
      },
    ],
    manufacturer: row.required('companyName'),
    brand: row.required('brandName'),
    model: row.optional('versionModelNumber'),
    catalogNumber: row.optional('catalogNumber'),
    description: row.optional('deviceDescription'),
    gmdnCode: row.optional('gmdnCode'),
    implantable: row.flag('implantable'),
    mriSafety: row.mapped('MRISafetyStatus', GUDID_MRI),
    labelCarries: labelCarries(row, [
      'lotBatch',
      'serialNumber',
      'expirationDate',
      'manufacturingDate',
    ]),
    status: row.mapped('deviceCommDistributionStatus', GUDID_DISTRIBUTION),
  });
}

function identifier(
  raw: string,
  agency: IssuingAgency,
  type: DeviceIdentifierType,
  quantity?: number,
): DeviceIdentifier {
  const check = normaliseDeviceIdentifier(raw, agency);
  if (!check.ok) reject(`${raw}: ${check.message}`);
  return {
    deviceIdentifier: check.value,
    issuingAgency: agency,
    type,
    ...(quantity === undefined ? {} : { quantityPerPackage: quantity }),
  };
}

function gudidIdentifier(row: Row): DeviceChange {
  const primaryRaw = row.required('PrimaryDI');
  const raw = row.required('deviceId');
  const agency = agencyOf(row.required('deviceIdIssuingAgency'), raw);
  const type = row.mapped('deviceIdType', GUDID_ID_TYPES) ?? reject('deviceIdType is empty');
  const primary = identifier(primaryRaw, agencyOf(undefined, primaryRaw), 'primary');
  return {
    kind: 'add-identifiers',
    primaryDeviceIdentifier: primary.deviceIdentifier,
    identifiers: [identifier(raw, agency, type, row.quantity('pkgQuantity'))],
  };
}

/** `otherIdentifiers`: `type:identifier[:quantity]` entries separated by `;`, the primary's agency. */
function csvOtherIdentifiers(value: string | undefined, agency: IssuingAgency) {
  if (value === undefined) return [];
  return value
    .split(';')
    .filter((entry) => entry.trim() !== '')
    .map((entry) => {
      const [type, deviceIdentifier, quantity, ...extra] = entry.trim().split(':');
      if (deviceIdentifier === undefined || extra.length > 0) {
        reject(`otherIdentifiers entry "${entry}" is not type:identifier[:quantity]`);
      }
      if (!(DEVICE_IDENTIFIER_TYPES as readonly string[]).includes(type ?? '')) {
        reject(`otherIdentifiers entry "${entry}" has an unknown type`);
      }
      if (quantity !== undefined && !/^[1-9]\d{0,8}$/.test(quantity)) {
        reject(
          `otherIdentifiers entry "${entry}" has a quantity that is not a positive whole number`,
        );
      }
      return {
        deviceIdentifier,
        issuingAgency: agency,
        type: type as DeviceIdentifierType,
        ...(quantity === undefined ? {} : { quantityPerPackage: Number(quantity) }),
      };
    });
}

function csvDevice(row: Row): DeviceChange {
  const primary = row.required('deviceIdentifier');
  const agency = agencyOf(row.optional('issuingAgency'), primary);
  return upsert({
    identifiers: [
      { deviceIdentifier: primary, issuingAgency: agency, type: 'primary' },
      ...csvOtherIdentifiers(row.optional('otherIdentifiers'), agency),
    ],
    manufacturer: row.required('manufacturer'),
    brand: row.required('brand'),
    model: row.optional('model'),
    catalogNumber: row.optional('catalogNumber'),
    description: row.optional('description'),
    gmdnCode: row.optional('gmdnCode'),
    implantable: row.flag('implantable'),
    mriSafety: row.oneOf('mriSafety', MRI_SAFETY),
    labelCarries: labelCarries(row, [
      'lotNumber',
      'serialNumber',
      'expirationDate',
      'manufactureDate',
    ]),
    status: row.oneOf('status', MARKET_STATUSES),
  });
}

/**
 * How a line of each format is split into fields, by csv-parse. Each line is parsed on its own
 * (the file arrives as lines, see `import-devices`), so a bad quote costs its own row and can
 * never swallow the lines after it into one field. CSV quoting is strict (RFC 4180: a quote
 * only opens a field or doubles inside a quoted one). GUDID release files are pipe-delimited
 * with no quoting, so a `"` there is text (see `splitPipes`).
 */
const CSV_LINE: CsvOptions = {
  delimiter: ',',
  quote: '"',
  escape: '"',
  record_delimiter: '\n',
  relax_quotes: false,
  relax_column_count: true,
  bom: false,
};

type SplitResult = { ok: true; fields: string[] } | { ok: false; reason: string };

const CSV_ERROR_REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed on its line',
  INVALID_OPENING_QUOTE: 'a quote inside a field that does not start with one',
  CSV_INVALID_CLOSING_QUOTE: 'text after the closing quote of a field',
};

function splitter(options: CsvOptions): (line: string) => SplitResult {
  return (line) => {
    try {
      const records = parseCsv(line, options) as string[][];
      return { ok: true, fields: records[0] ?? [''] };
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      return { ok: false, reason: CSV_ERROR_REASONS[error.code] ?? error.message };
    }
  };
}

/**
 * A GUDID line's fields. With no quoting and the line already cut from the file, csv-parse
 * would only split on `|`; String.split does that without building a parser per line, which
 * showed in the import's profile (a million lines).
 */
const splitPipes = (line: string): SplitResult => ({ ok: true, fields: line.split('|') });

const FORMATS: {
  format: ImportFormat;
  split: (line: string) => SplitResult;
  required: string[];
  read: (row: Row) => DeviceChange;
}[] = [
  {
    format: 'gudid-identifiers',
    split: splitPipes,
    required: ['PrimaryDI', 'deviceId', 'deviceIdType', 'deviceIdIssuingAgency'],
    read: gudidIdentifier,
  },
  {
    format: 'gudid-device',
    split: splitPipes,
    required: ['PrimaryDI', 'brandName', 'companyName'],
    read: gudidDevice,
  },
  {
    format: 'csv',
    split: splitter(CSV_LINE),
    required: ['deviceIdentifier', 'manufacturer', 'brand'],
    read: csvDevice,
  },
];

/** Names given to more than one column (header names are matched without regard to case). */
function duplicatesOf(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
  }
  return [...duplicates];
}

/**
 * Recognises the file from its header line and returns the parser for its data lines. A header
 * that names a column twice is refused: which of the two a row's value came from would be a
 * guess.
 */
export function createImportRowParser(headerLine: string): HeaderResult {
  const header = headerLine.replace(/^\uFEFF/, '').trim();
  for (const candidate of FORMATS) {
    const split = candidate.split(header);
    const names = split.ok ? split.fields.map((name) => name.trim().toLowerCase()) : [];
    if (!candidate.required.every((name) => names.includes(name.toLowerCase()))) continue;
    const duplicates = duplicatesOf(names);
    if (duplicates.length > 0) {
      return {
        ok: false,
        reason: `the header names ${duplicates.map((name) => `"${name}"`).join(', ')} more than once`,
      };
    }
    const columns = new Map(names.map((name, index) => [name, index]));
    const parser: ImportRowParser = {
      format: candidate.format,
      parse(line) {
        if (line.trim() === '') return { kind: 'blank' };
        const split = candidate.split(line.replace(/\r$/, ''));
        if (!split.ok) return { kind: 'rejected', reason: split.reason };
        const { fields } = split;
        if (fields.length !== names.length) {
          return {
            kind: 'rejected',
            reason: `has ${fields.length} fields, the header has ${names.length}`,
          };
        }
        try {
          return { kind: 'change', change: candidate.read(new Row(columns, fields)) };
        } catch (error) {
          if (error instanceof RowRejected) return { kind: 'rejected', reason: error.message };
          throw error;
        }
      },
    };
    return { ok: true, parser };
  }
  return {
    ok: false,
    reason:
      'the header is not a GUDID device file (PrimaryDI|…|brandName|…|companyName), a GUDID identifiers file (PrimaryDI|deviceId|deviceIdType|deviceIdIssuingAgency|…) or a CSV with deviceIdentifier,manufacturer,brand columns',
  };
}
