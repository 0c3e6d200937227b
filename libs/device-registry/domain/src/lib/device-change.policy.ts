import type {
  DeviceChange,
  DeviceDraft,
  DeviceIdentifier,
  DeviceIdentifierType,
  DeviceRecord,
} from './device-record.types';
import { DEVICE_IDENTIFIER_TYPES } from './device-record.types';
import { primaryOf } from './device-draft.util';

/** What the catalogue holds now, as far as one change needs to know. */
export interface CatalogueView {
  /** The device an identifier resolves to, if any. */
  ownerOf(deviceIdentifier: string): string | undefined;
  recordOf(deviceId: string): DeviceRecord | undefined;
}

export interface IdentifierConflict {
  deviceIdentifier: string;
  ownerDeviceId: string;
}

export type ChangeOutcome =
  | { kind: 'created'; record: DeviceRecord }
  | { kind: 'updated'; record: DeviceRecord }
  | { kind: 'unchanged'; record: DeviceRecord }
  | { kind: 'conflict'; conflicts: IdentifierConflict[] }
  | { kind: 'rejected'; field: string; reason: string };

export interface ChangeContext {
  /** Id for a device this change creates (UUID v7, minted by the caller). */
  newDeviceId: () => string;
  /** ISO 8601 time of the change. */
  now: string;
}

const TYPE_RANK = new Map<DeviceIdentifierType, number>(
  DEVICE_IDENTIFIER_TYPES.map((type, rank) => [type, rank]),
);

/**
 * The one order of a device's identifiers, wherever they are listed (a decided record, one read
 * back from the database): by type as the contract lists the types, then by identifier in code
 * unit order (never locale order, which differs between machines). Two equal records therefore
 * compare equal and publish identical payloads.
 */
export function compareIdentifiers(
  a: Pick<DeviceIdentifier, 'type' | 'deviceIdentifier'>,
  b: Pick<DeviceIdentifier, 'type' | 'deviceIdentifier'>,
): number {
  return (
    (TYPE_RANK.get(a.type) ?? 0) - (TYPE_RANK.get(b.type) ?? 0) ||
    (a.deviceIdentifier < b.deviceIdentifier ? -1 : a.deviceIdentifier > b.deviceIdentifier ? 1 : 0)
  );
}

function ordered(identifiers: Iterable<DeviceIdentifier>): DeviceIdentifier[] {
  return [...identifiers].sort(compareIdentifiers);
}

/** Everything of a record except its revision bookkeeping, in a stable form. */
type RecordSubstance = Omit<DeviceRecord, 'revision' | 'updatedAt'>;

function withoutBookkeeping(record: DeviceRecord): RecordSubstance {
  const copy: Partial<DeviceRecord> = { ...record };
  delete copy.revision;
  delete copy.updatedAt;
  return copy as RecordSubstance;
}

function substance(record: RecordSubstance): string {
  const { deviceId, identifiers, labelCarries, ...attributes } = record;
  return JSON.stringify([
    deviceId,
    ordered(identifiers).map((i) => [
      i.deviceIdentifier,
      i.issuingAgency,
      i.type,
      i.quantityPerPackage,
    ]),
    [
      labelCarries.lotNumber,
      labelCarries.serialNumber,
      labelCarries.expirationDate,
      labelCarries.manufactureDate,
    ],
    Object.entries(attributes)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  ]);
}

/**
 * A decided record is never mutated (each change makes a new one), so its substance is computed
 * once: a device that several rows of a chunk change in turn costs one substance per row.
 */
const recordSubstances = new WeakMap<DeviceRecord, string>();

function substanceOfRecord(record: DeviceRecord): string {
  let known = recordSubstances.get(record);
  if (known === undefined) {
    known = substance(withoutBookkeeping(record));
    recordSubstances.set(record, known);
  }
  return known;
}

/**
 * Identifiers are never dropped: a box already in a hospital store still carries an identifier
 * that a newer record left out, and a recall naming it must still find the device. Incoming
 * entries replace the current entry of the same identifier (fields they leave out are kept); a
 * primary displaced by a new primary becomes `previous`.
 */
function mergeIdentifiers(
  current: readonly DeviceIdentifier[],
  incoming: readonly DeviceIdentifier[],
): DeviceIdentifier[] {
  const merged = new Map(current.map((identifier) => [identifier.deviceIdentifier, identifier]));
  for (const identifier of incoming) {
    merged.set(identifier.deviceIdentifier, {
      ...merged.get(identifier.deviceIdentifier),
      ...identifier,
    });
  }
  const primary = incoming.find((identifier) => identifier.type === 'primary');
  if (primary !== undefined) {
    for (const [key, identifier] of merged) {
      if (identifier.type === 'primary' && key !== primary.deviceIdentifier) {
        merged.set(key, { ...identifier, type: 'previous' });
      }
    }
  }
  return ordered(merged.values());
}

function conflictsOf(
  identifiers: readonly DeviceIdentifier[],
  deviceId: string | undefined,
  view: CatalogueView,
): IdentifierConflict[] {
  return identifiers.flatMap(({ deviceIdentifier }) => {
    const owner = view.ownerOf(deviceIdentifier);
    return owner !== undefined && owner !== deviceId
      ? [{ deviceIdentifier, ownerDeviceId: owner }]
      : [];
  });
}

function nextRevision(
  current: DeviceRecord,
  candidate: RecordSubstance,
  now: string,
): ChangeOutcome {
  const candidateSubstance = substance(candidate);
  if (candidateSubstance === substanceOfRecord(current))
    return { kind: 'unchanged', record: current };
  const record = { ...candidate, revision: current.revision + 1, updatedAt: now };
  recordSubstances.set(record, candidateSubstance);
  return { kind: 'updated', record };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A registration: the primary identifier decides which device it is (new when unknown); any
 * identifier that already resolves to a different device is a conflict, because one identifier
 * resolving to two devices would let a recall miss patients.
 */
export function decideUpsert(
  draft: DeviceDraft,
  view: CatalogueView,
  context: ChangeContext,
): ChangeOutcome {
  const primary = primaryOf(draft.identifiers);
  const ownerId = view.ownerOf(primary.deviceIdentifier);
  const current = ownerId === undefined ? undefined : view.recordOf(ownerId);
  const conflicts = conflictsOf(draft.identifiers, ownerId, view);
  if (conflicts.length > 0) return { kind: 'conflict', conflicts };
  const { identifiers, labelCarries, ...attributes } = draft;
  if (current === undefined) {
    // Never assumed: a label taken to carry no lot or serial makes every implant of the device
    // a mere "possible" match in a recall by lot or serial.
    if (labelCarries === undefined) {
      return {
        kind: 'rejected',
        field: 'labelCarries',
        reason:
          'labelCarries is required for a new device (lotNumber, serialNumber, expirationDate, manufactureDate)',
      };
    }
    const record: DeviceRecord = withoutUndefined({
      ...attributes,
      deviceId: context.newDeviceId(),
      revision: 1,
      identifiers: ordered(identifiers),
      implantable: attributes.implantable ?? false,
      mriSafety: attributes.mriSafety ?? 'unknown',
      labelCarries,
      status: attributes.status ?? 'on-market',
      updatedAt: context.now,
    });
    return { kind: 'created', record };
  }
  const rest = withoutBookkeeping(current);
  return nextRevision(
    current,
    {
      ...rest,
      ...withoutUndefined(attributes),
      ...(labelCarries === undefined ? {} : { labelCarries }),
      identifiers: mergeIdentifiers(current.identifiers, identifiers),
    },
    context.now,
  );
}

/**
 * More identifiers for a registered device (the GUDID identifiers file). A second primary
 * would silently re-point the device, so only the device's own primary may be restated.
 */
export function decideIdentifierAddition(
  primaryDeviceIdentifier: string,
  identifiers: readonly DeviceIdentifier[],
  view: CatalogueView,
  context: ChangeContext,
): ChangeOutcome {
  const ownerId = view.ownerOf(primaryDeviceIdentifier);
  const current = ownerId === undefined ? undefined : view.recordOf(ownerId);
  if (current === undefined) {
    return {
      kind: 'rejected',
      field: 'primaryDeviceIdentifier',
      reason: `no device has primary identifier ${primaryDeviceIdentifier}`,
    };
  }
  const currentPrimary = primaryOf(current.identifiers).deviceIdentifier;
  const strayPrimary = identifiers.find(
    (identifier) => identifier.type === 'primary' && identifier.deviceIdentifier !== currentPrimary,
  );
  if (strayPrimary !== undefined) {
    return {
      kind: 'rejected',
      field: 'identifiers',
      reason: `${strayPrimary.deviceIdentifier} is given as primary but the device's primary is ${currentPrimary}`,
    };
  }
  const conflicts = conflictsOf(identifiers, current.deviceId, view);
  if (conflicts.length > 0) return { kind: 'conflict', conflicts };
  const rest = withoutBookkeeping(current);
  return nextRevision(
    current,
    { ...rest, identifiers: mergeIdentifiers(current.identifiers, identifiers) },
    context.now,
  );
}

export function decideChange(
  change: DeviceChange,
  view: CatalogueView,
  context: ChangeContext,
): ChangeOutcome {
  switch (change.kind) {
    case 'upsert':
      return decideUpsert(change.draft, view, context);
    case 'add-identifiers':
      return decideIdentifierAddition(
        change.primaryDeviceIdentifier,
        change.identifiers,
        view,
        context,
      );
  }
}

/** The identifiers a change touches: what a batch must look up before deciding. */
export function identifiersOf(change: DeviceChange): string[] {
  const identifiers = change.kind === 'upsert' ? change.draft.identifiers : change.identifiers;
  const values = identifiers.map((identifier) => identifier.deviceIdentifier);
  return change.kind === 'add-identifiers' ? [change.primaryDeviceIdentifier, ...values] : values;
}
