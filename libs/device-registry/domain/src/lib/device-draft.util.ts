import { DEVICE_FIELD_LIMITS } from '@implant-trace/contracts';
import { normaliseDeviceIdentifier } from '@implant-trace/udi';

import type {
  DeviceDraft,
  DeviceIdentifier,
  DeviceIdentifierType,
  FieldProblem,
  IssuingAgency,
  LabelCarries,
  MarketStatus,
  MriSafety,
} from './device-record.types';

/** A registration as it arrives (HTTP body or import row), its shape already checked. */
export interface DeviceDraftInput {
  identifiers: {
    deviceIdentifier: string;
    issuingAgency: IssuingAgency;
    type: DeviceIdentifierType;
    quantityPerPackage?: number | undefined;
  }[];
  manufacturer: string;
  brand: string;
  model?: string | undefined;
  catalogNumber?: string | undefined;
  description?: string | undefined;
  gmdnCode?: string | undefined;
  implantable?: boolean | undefined;
  mriSafety?: MriSafety | undefined;
  labelCarries?: LabelCarries | undefined;
  status?: MarketStatus | undefined;
}

export type DraftResult =
  { ok: true; draft: DeviceDraft } | { ok: false; problems: FieldProblem[] };

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/**
 * The rules every new or changed device obeys, whatever the source: each identifier valid for
 * its agency (check digits included) and stored in its normalised form, exactly one primary, no
 * identifier twice, a manufacturer and a brand. Every problem is reported, not just the first.
 */
export function buildDeviceDraft(input: DeviceDraftInput): DraftResult {
  const problems: FieldProblem[] = [];
  const identifiers: DeviceIdentifier[] = [];
  const seen = new Map<string, number>();
  input.identifiers.forEach((identifier, index) => {
    const field = `identifiers[${index}].deviceIdentifier`;
    const check = normaliseDeviceIdentifier(identifier.deviceIdentifier, identifier.issuingAgency);
    if (!check.ok) {
      problems.push({ field, message: check.message });
      return;
    }
    const earlier = seen.get(check.value);
    if (earlier !== undefined) {
      problems.push({
        field,
        message: `${check.value} is listed twice (also identifiers[${earlier}])`,
      });
      return;
    }
    seen.set(check.value, index);
    identifiers.push({
      deviceIdentifier: check.value,
      issuingAgency: identifier.issuingAgency,
      type: identifier.type,
      ...(identifier.quantityPerPackage === undefined
        ? {}
        : { quantityPerPackage: identifier.quantityPerPackage }),
    });
  });
  const primaries = input.identifiers.filter((identifier) => identifier.type === 'primary').length;
  if (primaries !== 1) {
    problems.push({
      field: 'identifiers',
      message: `exactly one identifier must have type primary (found ${primaries})`,
    });
  }
  const manufacturer = text(input.manufacturer);
  const brand = text(input.brand);
  if (manufacturer === undefined) problems.push({ field: 'manufacturer', message: 'is empty' });
  if (brand === undefined) problems.push({ field: 'brand', message: 'is empty' });
  const texts = {
    manufacturer,
    brand,
    model: text(input.model),
    catalogNumber: text(input.catalogNumber),
    description: text(input.description),
    gmdnCode: text(input.gmdnCode),
  };
  // The published record must pass its contract: a longer value is refused here, by field,
  // not when its event is published (which would fail the whole request or import batch).
  for (const [field, value] of Object.entries(texts)) {
    const limit = DEVICE_FIELD_LIMITS[field as keyof typeof texts];
    if (value !== undefined && value.length > limit) {
      problems.push({ field, message: `is ${value.length} characters long, at most ${limit}` });
    }
  }
  if (problems.length > 0 || manufacturer === undefined || brand === undefined) {
    return { ok: false, problems };
  }
  const optional = {
    model: texts.model,
    catalogNumber: texts.catalogNumber,
    description: texts.description,
    gmdnCode: texts.gmdnCode,
    implantable: input.implantable,
    mriSafety: input.mriSafety,
    labelCarries: input.labelCarries,
    status: input.status,
  };
  const draft: DeviceDraft = { identifiers, manufacturer, brand };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(draft, { [key]: value });
  }
  return { ok: true, draft };
}

export function primaryOf(identifiers: readonly DeviceIdentifier[]): DeviceIdentifier {
  const primary = identifiers.find((identifier) => identifier.type === 'primary');
  if (primary === undefined) throw new Error('a device always has a primary identifier');
  return primary;
}
