import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

import type { DeviceRecordValue, RecallCriteriaValue } from '@implant-trace/contracts';
import { createSchemaDataSource, prepareSchema } from '@implant-trace/platform-database';
import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';
import {
  criteriaDeviceOf,
  deviceNotInCatalogue,
  evaluateCriteria,
  validateCriteria,
  type CriteriaSubject,
} from '@implant-trace/recall-criteria';

import { dropSchema } from '../../test-support/recall-matching.test-bed';
import { CatalogueReplicaRepository } from '../catalogue-replica/catalogue-replica.repository';
import { ImplantProjectionRepository } from '../implant-projection/implant-projection.repository';
import { CatalogueRecordIdentifiers1767225600420 } from '../catalogue-replica/record-identifiers.migration';
import { RecallFollowUp1767225600410 } from '../progress/recall-follow-up.migration';
import { CreateRecallMatching1767225600400 } from '../recall-matching.migration';
import { candidateDevicesQuery, matchingImplantsQuery, type MatchScope } from './criteria-sql.util';

/** Rolls the generated data back after each run. */
class Rollback extends Error {}

const IDENTIFIERS = ['G1', 'G2', 'G3', 'G4', 'G5', 'G6'];
const UNKNOWN = ['U1', 'U2'];
const NAMES = ['Acme', ' acme  ', 'ACME Ortho', 'Other', '  '];
const OPTIONAL_NAMES = [undefined, 'M1', 'm1 ', 'M 2', 'm  2', ''];
const LOTS = [undefined, '', 'L1', 'L2', 'l1'];
const SERIALS = [
  undefined,
  '',
  '7',
  '007',
  '150',
  '0150',
  '99999999999999999999',
  'A99',
  'A100',
  'B5',
  'a100',
];
const DATES = [undefined, '2025-01-01', '2026-06-30', '2027-12-31'];
const RANGES = [
  { from: '1', to: '200' },
  { from: '007', to: '150' },
  { from: 'A50', to: 'A99' },
  { from: 'B1', to: 'B9' },
  { from: '100000000000000000000', to: '99999999999999999999999' },
];

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const someOf = <T>(values: readonly T[]) =>
  fc.subarray([...values], { minLength: 1 }).map((chosen) => chosen);

const devicesArb = fc
  .shuffledSubarray(IDENTIFIERS, { minLength: 1 })
  .chain((identifiers) =>
    fc.tuple(
      fc.constant(identifiers),
      fc.array(fc.integer({ min: 1, max: 3 }), {
        minLength: identifiers.length,
        maxLength: identifiers.length,
      }),
      fc.array(
        fc.record({
          manufacturer: pick(NAMES),
          model: pick(OPTIONAL_NAMES),
          catalogNumber: pick(OPTIONAL_NAMES),
          labelCarries: fc.record({
            lotNumber: fc.boolean(),
            serialNumber: fc.boolean(),
            expirationDate: fc.boolean(),
            manufactureDate: fc.boolean(),
          }),
        }),
        { minLength: identifiers.length, maxLength: identifiers.length },
      ),
    ),
  )
  .map(([identifiers, groups, attributes]) => {
    // Consecutive identifiers are grouped into devices, so each identifier has one owner.
    const devices: DeviceRecordValue[] = [];
    let at = 0;
    for (let index = 0; at < identifiers.length; index++) {
      const size = groups[index] ?? 1;
      const own = identifiers.slice(at, at + size);
      at += size;
      const { model, catalogNumber, ...rest } = attributes[index]!;
      devices.push({
        deviceId: randomUUID(),
        revision: 1,
        identifiers: own.map((deviceIdentifier) => ({
          deviceIdentifier,
          issuingAgency: 'GS1',
          type: 'primary',
        })),
        brand: 'B',
        implantable: true,
        mriSafety: 'unknown',
        status: 'on-market',
        updatedAt: '2026-11-01T10:00:00.000Z',
        ...rest,
        ...(model === undefined ? {} : { model }),
        ...(catalogNumber === undefined ? {} : { catalogNumber }),
      });
    }
    return devices;
  });

const implantArb = fc.record({
  deviceIdentifier: pick([...IDENTIFIERS, ...UNKNOWN]),
  lotNumber: pick(LOTS),
  serialNumber: pick(SERIALS),
  manufactureDate: pick(DATES),
  expirationDate: pick(DATES),
  status: pick(['active', 'active', 'active', 'explanted', 'entered-in-error'] as const),
});

const window = fc
  .record({ from: pick(DATES), to: pick(DATES) })
  .filter((w) => w.from !== undefined || w.to !== undefined)
  .map((w) => ({
    ...(w.from === undefined ? {} : { from: w.from }),
    ...(w.to === undefined ? {} : { to: w.to }),
  }));

const criteriaArb: fc.Arbitrary<RecallCriteriaValue> = fc
  .record(
    {
      deviceIdentifiers: someOf([...IDENTIFIERS, ...UNKNOWN]),
      catalogNumbers: someOf(['M1', ' m1', 'M 2', 'REF']),
      manufacturer: pick(['acme', 'ACME ORTHO', 'Other']),
      models: someOf(['M1', 'm 2', 'X']),
      lotNumbers: someOf(['L1', 'L2', 'l1']),
      serialNumbers: someOf(['7', '007', '150', 'A100', 'a100']),
      serialRanges: fc.subarray(RANGES, { minLength: 1 }),
      manufacturedBetween: window,
      expiresBetween: window,
    },
    { requiredKeys: [] },
  )
  .filter((criteria) => validateCriteria(criteria).length === 0);

describe('the criteria SQL against the criteria evaluation (the reference), on generated data', () => {
  jest.setTimeout(180_000);
  const schema = uniqueName('it_rm_criteria_sql');
  let dataSource: DataSource;
  const catalogue = new CatalogueReplicaRepository();
  const projection = new ImplantProjectionRepository();

  beforeAll(async () => {
    dataSource = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema,
      migrations: [
        CreateRecallMatching1767225600400,
        RecallFollowUp1767225600410,
        CatalogueRecordIdentifiers1767225600420,
      ],
      poolSize: 2,
    });
    await dataSource.initialize();
    await prepareSchema(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await dropSchema(schema);
  });

  async function verdicts(tx: EntityManager, criteria: RecallCriteriaValue, scope: MatchScope) {
    const query = matchingImplantsQuery(criteria, scope);
    const rows = (await tx.query(query.sql, query.parameters)) as {
      implant_id: string;
      kind: string;
    }[];
    return Object.fromEntries(rows.map((row) => [row.implant_id, row.kind]).sort());
  }

  it('gives every implant the verdict the reference gives it, in every scope', async () => {
    await fc.assert(
      fc.asyncProperty(
        devicesArb,
        fc.array(implantArb, { maxLength: 25 }),
        criteriaArb,
        async (devices, implants, criteria) => {
          const ids = implants.map(() => randomUUID());
          const owner = new Map(
            devices.flatMap((device) =>
              device.identifiers.map((identifier) => [identifier.deviceIdentifier, device]),
            ),
          );
          const expected = Object.fromEntries(
            implants
              .map((implant, index) => {
                const device = owner.get(implant.deviceIdentifier);
                const subject: CriteriaSubject = {
                  device:
                    device === undefined
                      ? deviceNotInCatalogue(implant.deviceIdentifier)
                      : criteriaDeviceOf(device),
                  status: implant.status,
                  ...(device === undefined ? {} : { labelCarries: device.labelCarries }),
                  ...Object.fromEntries(
                    (
                      ['lotNumber', 'serialNumber', 'manufactureDate', 'expirationDate'] as const
                    ).flatMap((field) =>
                      implant[field] === undefined ? [] : [[field, implant[field]]],
                    ),
                  ),
                };
                return [ids[index]!, evaluateCriteria(criteria, subject).kind] as const;
              })
              .filter(([, kind]) => kind !== 'not-matched')
              .sort(),
          );
          await dataSource
            .transaction(async (tx) => {
              // All at once, through the statement that applies a run of records.
              await projection.applyRecorded(
                tx,
                implants.map(({ status: _status, ...udi }, index) => ({
                  implantId: ids[index]!,
                  hospitalOds: 'RXH01',
                  patient: { nhsNumber: '9000000009' },
                  udi: { format: 'gs1', issuingAgency: 'GS1', ...udi },
                  entryMethod: 'barcode',
                  implantedAt: '2026-11-20T10:00:00.000Z',
                  recordedBy: 'nurse',
                  reviewFlags: [],
                })),
              );
              for (const [index, { status }] of implants.entries()) {
                if (status !== 'active') {
                  await projection.applyStatus(tx, {
                    implantId: ids[index]!,
                    hospitalOds: 'RXH01',
                    status,
                    at: '2026-11-21T10:00:00.000Z',
                  });
                }
              }
              // Devices after their implants, as a late catalogue would deliver them.
              for (const device of devices) await catalogue.apply(tx, device);
              const candidateQuery = candidateDevicesQuery(criteria);
              const deviceIds = (
                (await tx.query(candidateQuery.sql, candidateQuery.parameters)) as {
                  device_id: string;
                }[]
              ).map((row) => row.device_id);
              expect(await verdicts(tx, criteria, { kind: 'candidates', deviceIds })).toEqual(
                expected,
              );
              expect(await verdicts(tx, criteria, { kind: 'implants', implantIds: ids })).toEqual(
                expected,
              );
              expect(
                await verdicts(tx, criteria, {
                  kind: 'identifiers',
                  identifiers: [...IDENTIFIERS, ...UNKNOWN],
                }),
              ).toEqual(expected);
              throw new Rollback();
            })
            .catch((error: unknown) => {
              if (!(error instanceof Rollback)) throw error;
            });
        },
      ),
      { numRuns: 150 },
    );
  });
});
