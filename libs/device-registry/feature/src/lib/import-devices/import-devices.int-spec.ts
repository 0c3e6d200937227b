import { Readable } from 'node:stream';

import type { DataSource } from 'typeorm';

import { EVENTS } from '@implant-trace/contracts';
import { createSchemaDataSource, prepareSchema } from '@implant-trace/platform-database';
import { EventPublisher, OutboxRepository } from '@implant-trace/platform-messaging';
import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';
import { gs1CheckDigit } from '@implant-trace/udi';

import { ApplyDeviceChangesUseCase } from '../apply-device-changes/apply-device-changes.use-case';
import { DeviceCatalogueRepository } from '../catalogue/device-catalogue.repository';
import { DEVICE_REGISTRY_ENTITIES, DEVICE_REGISTRY_MIGRATIONS } from '../device-registry.module';
import type { ImportOptions } from './import-devices.use-case';
import { ImportDevicesUseCase } from './import-devices.use-case';

const schema = uniqueName('it_device_import');

const CSV_HEADER =
  'deviceIdentifier,manufacturer,brand,lotNumber,serialNumber,expirationDate,manufactureDate,otherIdentifiers';
const IDENTIFIERS_HEADER = 'PrimaryDI|deviceId|deviceIdType|deviceIdIssuingAgency|pkgQuantity';

/** A GTIN-14 with packaging indicator `level` and item `n`, its check digit appended. */
const gtin = (n: number, level = 0) => {
  const body = `${level}790${String(n).padStart(9, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
const wrongCheckDigit = (value: string) =>
  `${value.slice(0, -1)}${(Number(value.slice(-1)) + 1) % 10}`;
const csvRow = (primary: string, others: string[] = [], brand = 'Hip') =>
  `${primary},Chunkco,${brand},true,true,true,false,${others.join(';')}`;
const file = (header: string, rows: string[]) =>
  Readable.from([`${[header, ...rows].join('\n')}\n`]);

describe('device import, chunk by chunk, against the real PostgreSQL', () => {
  let dataSource: DataSource;
  let catalogue: DeviceCatalogueRepository;
  let publisher: EventPublisher;
  let importer: ImportDevicesUseCase;

  const run = (header: string, rows: string[], options: ImportOptions = {}) =>
    importer.execute(file(header, rows), { batchSize: 3, ...options });
  const ownerOf = async (identifier: string) =>
    (await catalogue.findByIdentifier(identifier))?.deviceId;
  const eventsOf = async (deviceId: string | undefined) =>
    (await dataSource.query(
      `SELECT event_type AS type, (payload::jsonb ->> 'revision')::int AS revision
       FROM outbox WHERE message_key = $1 ORDER BY id`,
      [deviceId],
    )) as { type: string; revision: number }[];
  const counts = async () => {
    const [row] = (await dataSource.query(
      `SELECT (SELECT count(*) FROM devices)::int AS devices,
              (SELECT count(*) FROM device_identifiers)::int AS identifiers,
              (SELECT count(*) FROM outbox)::int AS events`,
    )) as [{ devices: number; identifiers: number; events: number }];
    return row;
  };

  beforeAll(async () => {
    dataSource = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema,
      entities: DEVICE_REGISTRY_ENTITIES,
      migrations: DEVICE_REGISTRY_MIGRATIONS,
    });
    await dataSource.initialize();
    await prepareSchema(dataSource);
    catalogue = new DeviceCatalogueRepository(dataSource);
    publisher = new EventPublisher('device-registry', new OutboxRepository(dataSource));
    importer = new ImportDevicesUseCase(
      new ApplyDeviceChangesUseCase(catalogue, publisher, { now: () => new Date() }),
    );
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  it('reports every bad row mid-file by its line and imports the rows around it, chunk after chunk', async () => {
    const before = await counts();
    const report = await run(CSV_HEADER, [
      csvRow(gtin(1)),
      csvRow(gtin(2)),
      `${wrongCheckDigit(gtin(3))},Chunkco,Hip,true,true,true,false,`,
      csvRow(gtin(4)),
      `${gtin(5)},,Hip,true,true,true,false,`,
      csvRow(gtin(6)),
      csvRow(gtin(7)),
    ]);
    expect(report).toMatchObject({ rows: 7, created: 5, updated: 0, unchanged: 0, rejected: 2 });
    expect(report.rejections).toEqual([
      { line: 4, reason: expect.stringMatching(/check digit/) as string },
      { line: 6, reason: 'manufacturer is empty' },
    ]);
    const after = await counts();
    expect(after.devices - before.devices).toBe(5);
    expect(after.identifiers - before.identifiers).toBe(5);
    expect(after.events - before.events).toBe(5);
    expect(await ownerOf(wrongCheckDigit(gtin(3)))).toBeUndefined();
  });

  it('gives a contested identifier to the first row of a chunk and rejects the later one, naming the owner', async () => {
    const contested = gtin(20, 1);
    const report = await run(CSV_HEADER, [
      csvRow(gtin(20), [`package:${contested}:10`]),
      csvRow(gtin(21), [`package:${contested}:5`]),
      csvRow(gtin(22)),
    ]);
    const owner = await ownerOf(gtin(20));
    expect(report).toMatchObject({ rows: 3, created: 2, rejected: 1 });
    expect(report.rejections).toEqual([
      { line: 3, reason: `${contested} already identifies device ${owner}` },
    ]);
    expect(await ownerOf(contested)).toBe(owner);
    expect(await ownerOf(gtin(21))).toBeUndefined();
  });

  it('rejects an identifier claimed by a device that an earlier chunk registered', async () => {
    const contested = gtin(30, 1);
    const report = await run(
      CSV_HEADER,
      [
        csvRow(gtin(30), [`package:${contested}:10`]),
        csvRow(gtin(31)),
        csvRow(gtin(32), [`package:${contested}`]),
      ],
      { batchSize: 2 },
    );
    const owner = await ownerOf(gtin(30));
    expect(report).toMatchObject({ rows: 3, created: 2, rejected: 1 });
    expect(report.rejections).toEqual([
      { line: 4, reason: `${contested} already identifies device ${owner}` },
    ]);
    expect(await ownerOf(gtin(32))).toBeUndefined();
  });

  it('publishes a device repeated within a chunk once and again in each later chunk, revisions rising', async () => {
    await run(CSV_HEADER, [csvRow(gtin(40))]);
    const deviceId = await ownerOf(gtin(40));
    const rows = [1, 2, 3, 4, 5].map(
      (level) => `${gtin(40)}|${gtin(40 + level * 100, level)}|Package|GS1|${level}`,
    );
    // Chunks of 3 rows: levels 1-3, then 4-5.
    const report = await run(IDENTIFIERS_HEADER, rows);
    expect(report).toMatchObject({ rows: 5, updated: 5, rejected: 0 });
    expect(await eventsOf(deviceId)).toEqual([
      { type: EVENTS.deviceRegisteredV1.type, revision: 1 },
      { type: EVENTS.deviceUpdatedV1.type, revision: 4 },
      { type: EVENTS.deviceUpdatedV1.type, revision: 6 },
    ]);
    const record = await catalogue.findByIdentifier(gtin(40));
    expect(record?.revision).toBe(6);
    expect(record?.identifiers.map((i) => i.quantityPerPackage)).toEqual([
      undefined,
      1,
      2,
      3,
      4,
      5,
    ]);
  });

  it('moves a primary that a new primary displaces to previous, within one chunk', async () => {
    const [oldPrimary, newPrimary] = [gtin(50), gtin(50, 2)];
    await run(CSV_HEADER, [csvRow(oldPrimary, [`package:${newPrimary}`])]);
    const deviceId = await ownerOf(oldPrimary);
    const report = await run(CSV_HEADER, [csvRow(newPrimary, [], 'Hip Mk2')]);
    expect(report).toMatchObject({ updated: 1, rejected: 0 });
    const record = await catalogue.findByIdentifier(oldPrimary);
    expect(record?.deviceId).toBe(deviceId);
    expect(record?.identifiers.map((i) => [i.deviceIdentifier, i.type])).toEqual([
      [newPrimary, 'primary'],
      [oldPrimary, 'previous'],
    ]);
  });

  it('stores text with the characters COPY escapes exactly as the file wrote it', async () => {
    const brand = 'Hip \\N \\t\tPro\\';
    const report = await run(CSV_HEADER, [csvRow(gtin(55), [], `"${brand}"`)]);
    expect(report).toMatchObject({ created: 1, rejected: 0 });
    expect((await catalogue.findByIdentifier(gtin(55)))?.brand).toBe(brand);
  });

  it('changes and publishes nothing when the same files are imported again', async () => {
    const devices = [60, 61, 62, 63].map((n) => csvRow(gtin(n), [`package:${gtin(n, 1)}:10`]));
    const identifiers = [60, 61, 62, 63].map((n) => `${gtin(n)}|${gtin(n, 3)}|Package|GS1|40`);
    await run(CSV_HEADER, devices);
    await run(IDENTIFIERS_HEADER, identifiers);
    const before = await counts();
    const again = await run(CSV_HEADER, devices);
    const identifiersAgain = await run(IDENTIFIERS_HEADER, identifiers);
    expect(again).toMatchObject({ rows: 4, created: 0, updated: 0, unchanged: 4, rejected: 0 });
    expect(identifiersAgain).toMatchObject({ rows: 4, updated: 0, unchanged: 4, rejected: 0 });
    expect(await counts()).toEqual(before);
  });

  it('leaves nothing of a chunk whose outbox write fails: the chunks before it stay, none after it runs', async () => {
    const before = await counts();
    const publishMany = jest.spyOn(publisher, 'publishMany');
    // The second chunk's first publish (its device.registered events) fails.
    publishMany.mockImplementation(async function (this: EventPublisher, ...args) {
      if (publishMany.mock.calls.length === 3) throw new Error('outbox down');
      return EventPublisher.prototype.publishMany.apply(this, args);
    });
    const rows = [70, 71, 72, 73, 74, 75, 76].map((n) =>
      csvRow(gtin(n), [`package:${gtin(n, 1)}`]),
    );
    await expect(run(CSV_HEADER, rows)).rejects.toThrow('outbox down');
    expect(publishMany).toHaveBeenCalledTimes(3);
    const after = await counts();
    expect(after.devices - before.devices).toBe(3);
    expect(after.identifiers - before.identifiers).toBe(6);
    expect(after.events - before.events).toBe(3);
    expect(await ownerOf(gtin(73))).toBeUndefined();
    expect(await ownerOf(gtin(73, 1))).toBeUndefined();

    publishMany.mockRestore();
    const resumed = await run(CSV_HEADER, rows);
    expect(resumed).toMatchObject({ created: 4, unchanged: 3, rejected: 0 });
  });

  it('rolls back a chunk that fails after its devices and identifiers were written', async () => {
    const before = await counts();
    const save = jest.spyOn(catalogue, 'save');
    save.mockImplementationOnce(async (manager, records, stored) => {
      await DeviceCatalogueRepository.prototype.save.call(catalogue, manager, records, stored);
      const [written] = (await manager.query(
        `SELECT count(*)::int AS n FROM device_identifiers WHERE device_identifier = $1`,
        [gtin(80, 1)],
      )) as [{ n: number }];
      throw new Error(`connection lost after writing ${written.n} identifier`);
    });
    await expect(
      run(CSV_HEADER, [csvRow(gtin(80), [`package:${gtin(80, 1)}`]), csvRow(gtin(81))]),
    ).rejects.toThrow('connection lost after writing 1 identifier');
    expect(await counts()).toEqual(before);

    const again = await run(CSV_HEADER, [
      csvRow(gtin(80), [`package:${gtin(80, 1)}`]),
      csvRow(gtin(81)),
    ]);
    expect(again).toMatchObject({ created: 2, rejected: 0 });
    const after = await counts();
    expect(after.devices - before.devices).toBe(2);
    expect(after.identifiers - before.identifiers).toBe(3);
  });
});
