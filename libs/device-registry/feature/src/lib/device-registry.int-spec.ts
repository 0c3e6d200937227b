import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import {
  ConcurrentCatalogueChangeError,
  ImportAbortedError,
} from '@implant-trace/device-registry-domain';
import { uuidV7 } from '@implant-trace/identifiers';
import type { Role } from '@implant-trace/platform-auth';
import {
  mintDevelopmentToken,
  regulatorRoutesNotRegulatorFacing,
  runAuthorisationMatrix,
} from '@implant-trace/platform-auth';
import { ServiceConfigBase } from '@implant-trace/platform-config';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import { createServiceApp } from '@implant-trace/platform-http';
import { EventPublisher } from '@implant-trace/platform-messaging';
import {
  testInfrastructure,
  testServiceConfig,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';
import { gs1CheckDigit } from '@implant-trace/udi';

import {
  DEVICE_REGISTRY_ENTITIES,
  DEVICE_REGISTRY_MIGRATIONS,
  DeviceRegistryModule,
} from './device-registry.module';
import { DeviceCatalogueRepository } from './catalogue/device-catalogue.repository';
import {
  IMPORT_MAX_LINE_BYTES,
  ImportDevicesUseCase,
} from './import-devices/import-devices.use-case';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answers as loose JSON
type JsonBody = Record<string, any>;

const secret = 'integration-test-secret-of-at-least-32-chars';
const schema = uniqueName('it_device_registry');
const SAMPLES = join(__dirname, '../../sample-data');

const IMPORT_MAX_BYTES = 256 * 1024;

/** The shared settings the device-registry app reads (its own class lives with the app). */
class DeviceRegistryTestConfig extends ServiceConfigBase {
  readonly serviceName = 'device-registry';
  override port = 3001;
  override databaseSchema = schema;
}

function serviceConfig(): DeviceRegistryTestConfig {
  return testServiceConfig(DeviceRegistryTestConfig, { schema, jwtSecret: secret });
}

const token = (role: Role, ods?: string) =>
  mintDevelopmentToken({
    secret,
    role,
    ...(ods === undefined ? {} : { ods }),
    issuer: 'implant-trace-dev',
    audience: 'implant-trace',
  });

/** A GTIN-14 of the 13 digits given and their GS1 check digit. */
const withCheckDigit = (body13: string) => `${body13}${gs1CheckDigit(body13)}`;

const device = (overrides: Record<string, unknown> = {}) => ({
  identifiers: [
    { deviceIdentifier: '5012345678900', issuingAgency: 'GS1', type: 'primary' },
    {
      deviceIdentifier: '15012345678907',
      issuingAgency: 'GS1',
      type: 'package',
      quantityPerPackage: 10,
    },
  ],
  manufacturer: 'Acme Orthopaedics',
  brand: 'Acme Hip',
  model: 'AH-1',
  catalogNumber: 'REF-100',
  implantable: true,
  mriSafety: 'conditional',
  labelCarries: {
    lotNumber: true,
    serialNumber: true,
    expirationDate: true,
    manufactureDate: false,
  },
  ...overrides,
});

describe('device-registry against the real PostgreSQL, Redis and Kafka', () => {
  let app: INestApplication;
  let baseUrl: string;
  let dataSource: DataSource;
  let regulator: string;

  const call = async (method: string, path: string, body?: unknown, bearer = regulator) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as JsonBody };
  };
  const outboxRows = async () =>
    (await dataSource.query(`SELECT event_type, message_key, payload FROM outbox ORDER BY id`)) as {
      event_type: string;
      message_key: string;
      payload: string;
    }[];
  const counts = async () => {
    const [row] = (await dataSource.query(
      `SELECT (SELECT count(*) FROM devices)::int AS devices,
              (SELECT count(*) FROM device_identifiers)::int AS identifiers,
              (SELECT count(*) FROM outbox)::int AS events`,
    )) as { devices: number; identifiers: number; events: number }[];
    return row;
  };

  beforeAll(async () => {
    const config = serviceConfig();
    app = await createServiceApp({
      config,
      imports: [
        DeviceRegistryModule.forRoot({
          serviceName: config.serviceName,
          kafka: config,
          // The tests read what the service committed to its outbox, which the relay would delete.
          runRelay: false,
          importMaxBytes: IMPORT_MAX_BYTES,
        }),
      ],
      entities: DEVICE_REGISTRY_ENTITIES,
      migrations: DEVICE_REGISTRY_MIGRATIONS,
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    dataSource = app.get(DataSource);
    regulator = await token('regulator');
  });

  afterAll(async () => {
    // Close first: the outbox relay polls until the app stops.
    await app.close();
    const cleanup = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
    await cleanup.initialize();
    await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await cleanup.destroy();
  });

  describe('register, update, look up', () => {
    let deviceId: string;

    it('creates a device (201) and writes device.registered with the full record to the outbox', async () => {
      const created = await call('POST', '/v1/devices', device());
      expect(created.status).toBe(201);
      deviceId = created.body['deviceId'];
      expect(created.body).toMatchObject({
        revision: 1,
        identifiers: [
          { deviceIdentifier: '05012345678900', type: 'primary' },
          { deviceIdentifier: '15012345678907', type: 'package', quantityPerPackage: 10 },
        ],
        status: 'on-market',
      });
      const events = (await outboxRows()).filter((row) => row.message_key === deviceId);
      expect(events.map((row) => row.event_type)).toEqual(['device.registered.v1']);
      expect(JSON.parse(events[0]!.payload)).toEqual(created.body);
    });

    it('resolves every identifier and spelling to the same device', async () => {
      for (const identifier of ['05012345678900', '5012345678900', '15012345678907']) {
        const found = await call('GET', `/v1/devices/by-identifier/${identifier}`);
        expect(found).toMatchObject({ status: 200, body: { deviceId } });
      }
      const theatre = await token('theatre', 'RXH01');
      expect(await call('GET', `/v1/devices/${deviceId}`, undefined, theatre)).toMatchObject({
        status: 200,
        body: { deviceId, brand: 'Acme Hip' },
      });
      expect(await call('GET', '/v1/devices/by-identifier/05012345678917')).toEqual({
        status: 404,
        body: {
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: 'No device has identifier 05012345678917',
        },
      });
      expect((await call('GET', '/v1/devices/019c0f3e-8a4b-7c3d-9e2f-0123456789ab')).status).toBe(
        404,
      );
    });

    it('answers 200 and publishes nothing when the same device is posted again', async () => {
      const before = await counts();
      const again = await call('POST', '/v1/devices', device());
      expect(again).toMatchObject({ status: 200, body: { deviceId, revision: 1 } });
      expect(await counts()).toEqual(before);
    });

    it('updates by primary identifier (200), keeps other identifiers and publishes device.updated', async () => {
      const updated = await call(
        'POST',
        '/v1/devices',
        device({
          brand: 'Acme Hip II',
          identifiers: [
            { deviceIdentifier: '05012345678900', issuingAgency: 'GS1', type: 'primary' },
            { deviceIdentifier: '05012345678924', issuingAgency: 'GS1', type: 'unit-of-use' },
          ],
        }),
      );
      expect(updated).toMatchObject({
        status: 200,
        body: { deviceId, revision: 2, brand: 'Acme Hip II' },
      });
      expect(
        updated.body['identifiers'].map((i: { deviceIdentifier: string }) => i.deviceIdentifier),
      ).toEqual(['05012345678900', '15012345678907', '05012345678924']);
      const events = (await outboxRows()).filter((row) => row.message_key === deviceId);
      expect(events.map((row) => row.event_type)).toEqual([
        'device.registered.v1',
        'device.updated.v1',
      ]);
      expect(JSON.parse(events[1]!.payload)).toEqual(updated.body);
    });

    it('refuses (409) an identifier that belongs to another device and stores nothing', async () => {
      const before = await counts();
      const conflict = await call(
        'POST',
        '/v1/devices',
        device({
          identifiers: [
            { deviceIdentifier: '25012345678904', issuingAgency: 'GS1', type: 'primary' },
            { deviceIdentifier: '15012345678907', issuingAgency: 'GS1', type: 'package' },
          ],
        }),
      );
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({
        type: 'urn:implant-trace:problem:device-identifier-conflict',
        title: 'Conflict',
        detail: 'An identifier already belongs to another device',
      });
      expect(conflict.body['errors']).toEqual([
        {
          field: 'identifiers[1].deviceIdentifier',
          message: `15012345678907 already identifies device ${deviceId}`,
        },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('has the repository turn a unique violation into a concurrent-change error, storing nothing', async () => {
      const before = await counts();
      const catalogue = app.get(DeviceCatalogueRepository);
      const [existing] = await catalogue.findByIds([deviceId]);
      if (existing === undefined) throw new Error('the device registered above');
      await expect(
        catalogue.inTransaction((manager) =>
          catalogue.save(manager, [{ ...existing, deviceId: uuidV7() }], new Map()),
        ),
      ).rejects.toThrow(ConcurrentCatalogueChangeError);
      expect(await counts()).toEqual(before);
    });

    it('answers 422 naming every identifier that breaks its agency rules, and 400 for a bad shape', async () => {
      const invalid = await call(
        'POST',
        '/v1/devices',
        device({
          identifiers: [
            { deviceIdentifier: '05012345678901', issuingAgency: 'GS1', type: 'primary' },
            { deviceIdentifier: '1H23', issuingAgency: 'HIBCC', type: 'package' },
          ],
        }),
      );
      expect(invalid.status).toBe(422);
      expect(invalid.body['errors'].map((e: { field: string }) => e.field)).toEqual([
        'identifiers[0].deviceIdentifier',
        'identifiers[1].deviceIdentifier',
      ]);
      const shape = await call(
        'POST',
        '/v1/devices',
        device({ implantable: 'yes', identifiers: [{ type: 'box' }] }),
      );
      expect(shape.status).toBe(400);
      expect(shape.body['errors'].map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining([
          'implantable',
          'identifiers[0].deviceIdentifier',
          'identifiers[0].type',
        ]),
      );
    });

    it.each([
      ['missing', undefined],
      ['null', null],
      ['a string', 'lot and serial'],
      ['a boolean', true],
      ['an array', []],
    ])(
      'refuses (400) a device whose labelCarries is %s, naming it, and stores nothing',
      async (_case, labelCarries) => {
        const before = await counts();
        const refused = await call(
          'POST',
          '/v1/devices',
          device({
            identifiers: [
              { deviceIdentifier: '05012345678931', issuingAgency: 'GS1', type: 'primary' },
            ],
            labelCarries,
          }),
        );
        expect(refused.status).toBe(400);
        expect(refused.body['type']).toBe('urn:implant-trace:problem:validation-failed');
        expect(refused.body['errors']).toEqual([
          { field: 'labelCarries', message: 'labelCarries is required and must be an object' },
        ]);
        expect(await counts()).toEqual(before);
        expect((await call('GET', '/v1/devices/by-identifier/05012345678931')).status).toBe(404);
      },
    );

    it('names each missing flag of labelCarries and every identifier that is not an object', async () => {
      const refused = await call(
        'POST',
        '/v1/devices',
        device({
          identifiers: [
            { deviceIdentifier: '05012345678931', issuingAgency: 'GS1', type: 'primary' },
            [],
          ],
          labelCarries: { lotNumber: true },
        }),
      );
      expect(refused.status).toBe(400);
      expect(refused.body['errors'].map((e: { field: string }) => e.field).sort()).toEqual([
        'identifiers',
        'labelCarries.expirationDate',
        'labelCarries.manufactureDate',
        'labelCarries.serialNumber',
      ]);
    });

    it('writes the device and its event in one transaction: a failed publish stores neither', async () => {
      const before = await counts();
      const publisher = app.get(EventPublisher);
      const spy = jest
        .spyOn(publisher, 'publishMany')
        .mockRejectedValueOnce(new Error('outbox down'));
      try {
        const failed = await call(
          'POST',
          '/v1/devices',
          device({
            identifiers: [
              { deviceIdentifier: '05012345678917', issuingAgency: 'GS1', type: 'primary' },
            ],
          }),
        );
        expect(failed.status).toBe(500);
      } finally {
        spy.mockRestore();
      }
      expect(await counts()).toEqual(before);
      expect((await call('GET', '/v1/devices/by-identifier/05012345678917')).status).toBe(404);
    });
  });

  describe('search', () => {
    const manufacturer = uniqueName('Searchco');

    beforeAll(async () => {
      for (let i = 0; i < 5; i++) {
        const body = `076199900000${i}`;
        const gtin = withCheckDigit(body);
        const created = await call(
          'POST',
          '/v1/devices',
          device({
            identifiers: [{ deviceIdentifier: gtin, issuingAgency: 'GS1', type: 'primary' }],
            manufacturer,
            brand: i % 2 === 0 ? 'Titanium Spinal Cage' : 'Ceramic Femoral Head',
            catalogNumber: `CAT-${i}`,
          }),
        );
        expect(created.status).toBe(201);
      }
    });

    it('pages through a manufacturer with cursors and ends with nextCursor null', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `manufacturer=${encodeURIComponent(manufacturer.toUpperCase())}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
        const page = await call('GET', `/v1/devices?${query}`);
        expect(page.status).toBe(200);
        seen.push(...page.body['items'].map((item: { deviceId: string }) => item.deviceId));
        cursor = page.body['nextCursor'];
        pages++;
      } while (cursor !== null);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
      expect([...seen].sort()).toEqual(seen);
    });

    it('finds by catalogue number and by free-text prefixes', async () => {
      const byCatalog = await call(
        'GET',
        `/v1/devices?catalogNumber=cat-3&manufacturer=${encodeURIComponent(manufacturer)}`,
      );
      expect(
        byCatalog.body['items'].map((item: { catalogNumber: string }) => item.catalogNumber),
      ).toEqual(['CAT-3']);
      const byText = await call(
        'GET',
        `/v1/devices?q=${encodeURIComponent('titan cage')}&manufacturer=${encodeURIComponent(manufacturer)}`,
      );
      expect(byText.body['items']).toHaveLength(3);
    });

    it('refuses a forged cursor and an over-large limit', async () => {
      const forged = await call('GET', '/v1/devices?cursor=bm90LWEtY3Vyc29y');
      expect(forged).toMatchObject({
        status: 400,
        body: {
          type: 'urn:implant-trace:problem:validation-failed',
          detail: 'The search is invalid',
          errors: [{ field: 'cursor' }],
        },
      });
      expect((await call('GET', '/v1/devices?limit=1000')).status).toBe(400);
    });

    it('serves each filter from an index', async () => {
      await dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        const plan = async (where: string) =>
          JSON.stringify(
            await manager.query(
              `EXPLAIN SELECT device_id FROM devices WHERE ${where} ORDER BY device_id LIMIT 51`,
            ),
          );
        expect(await plan(`lower(manufacturer) = 'x'`)).toContain('devices_by_manufacturer');
        expect(await plan(`lower(catalog_number) = 'x'`)).toContain('devices_by_catalog_number');
        expect(await plan(`search_vector @@ to_tsquery('simple', 'x:*')`)).toContain(
          'devices_by_text',
        );
      });
    });
  });

  describe('bulk import', () => {
    const importFile = async (name: string) => {
      const response = await fetch(`${baseUrl}/v1/devices/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${regulator}`, 'content-type': 'text/plain' },
        body: await readFile(join(SAMPLES, name)),
      });
      return { status: response.status, body: (await response.json()) as JsonBody };
    };

    it('imports the GUDID device file with a report of every rejected line', async () => {
      const first = await importFile('gudid-device.txt');
      expect(first).toMatchObject({
        status: 201,
        body: {
          format: 'gudid-device',
          rows: 11,
          created: 8,
          updated: 0,
          unchanged: 0,
          rejected: 3,
        },
      });
      expect(first.body['rejections']).toEqual([
        { line: 10, reason: expect.stringMatching(/check digit/) },
        { line: 11, reason: expect.stringMatching(/companyName is empty/) },
        { line: 12, reason: expect.stringMatching(/MRISafetyStatus/) },
      ]);
    });

    it('attaches the GUDID identifiers file to the registered devices', async () => {
      const result = await importFile('gudid-identifiers.txt');
      expect(result.body).toMatchObject({
        format: 'gudid-identifiers',
        unchanged: 1,
        updated: 6,
        rejected: 3,
      });
      expect(result.body['rejections'].map((r: { line: number }) => r.line)).toEqual([9, 10, 11]);
      const hip = await call('GET', '/v1/devices/by-identifier/27612345000019');
      expect(hip.body['identifiers']).toHaveLength(3);
      expect(hip.body['revision']).toBe(3);
    });

    it('changes and publishes nothing when the same files are imported again', async () => {
      const before = await counts();
      const device = await importFile('gudid-device.txt');
      const identifiers = await importFile('gudid-identifiers.txt');
      expect(device.body).toMatchObject({ created: 0, updated: 0, unchanged: 8, rejected: 3 });
      expect(identifiers.body).toMatchObject({ created: 0, updated: 0, unchanged: 7, rejected: 3 });
      expect(await counts()).toEqual(before);
    });

    it('imports the CSV through the use case in small batches, each committed with its events', async () => {
      const before = await counts();
      const batches: number[] = [];
      const report = await app
        .get(ImportDevicesUseCase)
        .execute(createReadStream(join(SAMPLES, 'devices.csv')), {
          batchSize: 2,
          onBatch: (progress) => batches.push(progress.created),
        });
      expect(report).toMatchObject({ format: 'csv', created: 3, rejected: 2 });
      expect(report.rejections.map((r) => r.line)).toEqual([5, 6]);
      expect(batches).toEqual([2, 3]);
      const after = await counts();
      expect(after!.devices - before!.devices).toBe(3);
      expect(after!.events - before!.events).toBe(3);
    });

    const CSV_HEADER =
      'deviceIdentifier,manufacturer,brand,lotNumber,serialNumber,expirationDate,manufactureDate';
    const csvRow = (gtin: string, manufacturer: string, brand = 'Hip') =>
      `${gtin},${manufacturer},${brand},true,true,true,false`;
    const postImport = async (body: string | Buffer) => {
      const response = await fetch(`${baseUrl}/v1/devices/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${regulator}`, 'content-type': 'text/csv' },
        body,
      });
      return { status: response.status, body: (await response.json()) as JsonBody };
    };
    const devicesMadeBy = async (manufacturer: string) => {
      const [row] = (await dataSource.query(
        `SELECT count(*)::int AS n FROM devices WHERE manufacturer = $1`,
        [manufacturer],
      )) as [{ n: number }];
      return row.n;
    };

    it('rejects rows whose quotes break RFC 4180, each by its line, and imports the rest', async () => {
      const maker = uniqueName('Quoteco');
      const result = await postImport(
        [
          CSV_HEADER,
          csvRow(withCheckDigit('0780000000001'), maker),
          `${withCheckDigit('0780000000002')},${maker},Hip "Pro",true,true,true,false`,
          `${withCheckDigit('0780000000003')},${maker},"Hip"Pro,true,true,true,false`,
          `${withCheckDigit('0780000000004')},${maker},"Hip, ""Pro""",true,true,true,false`,
          `${withCheckDigit('0780000000005')},${maker},"Hip,true,true,true,false`,
          csvRow(withCheckDigit('0780000000006'), maker),
        ].join('\n'),
      );
      expect(result).toMatchObject({ status: 201, body: { rows: 6, created: 3, rejected: 3 } });
      expect(result.body['rejections']).toEqual([
        { line: 3, reason: 'a quote inside a field that does not start with one' },
        { line: 4, reason: 'text after the closing quote of a field' },
        { line: 6, reason: 'a quoted field is not closed on its line' },
      ]);
      const quoted = await call(
        'GET',
        `/v1/devices/by-identifier/${withCheckDigit('0780000000004')}`,
      );
      expect(quoted.body['brand']).toBe('Hip, "Pro"');
      expect(await devicesMadeBy(maker)).toBe(3);
    });

    it('refuses (400) a header that names a column twice and stores nothing', async () => {
      const before = await counts();
      const result = await postImport(
        `${CSV_HEADER},Brand\n${csvRow(withCheckDigit('0780000000101'), 'Dupco')},Other\n`,
      );
      expect(result).toMatchObject({
        status: 400,
        body: { detail: 'the header names "brand" more than once' },
      });
      expect(await counts()).toEqual(before);
    });

    it('rejects a line that is not valid UTF-8 with its line number, and imports the rest', async () => {
      const maker = uniqueName('Utfco');
      const result = await postImport(
        Buffer.concat([
          Buffer.from(`${CSV_HEADER}\n${csvRow(withCheckDigit('0780000000201'), maker)}\n`),
          Buffer.from(`${withCheckDigit('0780000000202')},${maker},Hip `),
          Buffer.from([0xc3, 0x28]),
          Buffer.from(`,true,true,true,false\n${csvRow(withCheckDigit('0780000000203'), maker)}\n`),
        ]),
      );
      expect(result).toMatchObject({ status: 201, body: { rows: 3, created: 2, rejected: 1 } });
      expect(result.body['rejections']).toEqual([
        { line: 3, reason: 'the line is not valid UTF-8' },
      ]);
      expect(
        (await call('GET', `/v1/devices/by-identifier/${withCheckDigit('0780000000202')}`)).status,
      ).toBe(404);
    });

    it('rejects a line longer than the limit and a field longer than the contract as rows, keeping the report', async () => {
      const maker = uniqueName('Longco');
      const result = await postImport(
        [
          CSV_HEADER,
          csvRow(withCheckDigit('0780000000301'), maker, 'B'.repeat(IMPORT_MAX_LINE_BYTES)),
          csvRow(withCheckDigit('0780000000302'), maker, 'B'.repeat(201)),
          csvRow(withCheckDigit('0780000000303'), maker),
        ].join('\n'),
      );
      expect(result).toMatchObject({ status: 201, body: { rows: 3, created: 1, rejected: 2 } });
      expect(result.body['rejections']).toEqual([
        { line: 2, reason: `the line is longer than ${IMPORT_MAX_LINE_BYTES} bytes` },
        { line: 3, reason: 'brand: is 201 characters long, at most 200' },
      ]);
      expect(await devicesMadeBy(maker)).toBe(1);
    });

    it('ends the import when the client aborts its upload: the request is destroyed and nothing more is written', async () => {
      const maker = uniqueName('Abortco');
      const importer = app.get(ImportDevicesUseCase);
      const execute = jest.spyOn(importer, 'execute');
      // The upload's own path, in chunks small enough for the test's body limit.
      const original = ImportDevicesUseCase.prototype.execute.bind(importer);
      execute.mockImplementation((source, options) =>
        original(source, { ...options, batchSize: 1000 }),
      );
      try {
        // 1,500 rows: the first chunk of 1,000 commits, the rest wait for a line that never comes.
        const rows = Array.from({ length: 1500 }, (_, i) =>
          csvRow(withCheckDigit(`079${String(i).padStart(10, '0')}`), maker),
        );
        const upload = httpRequest(`${baseUrl}/v1/devices/import`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${regulator}`,
            'content-type': 'text/csv',
            'transfer-encoding': 'chunked',
          },
        });
        upload.on('error', () => undefined);
        upload.write(`${CSV_HEADER}\n${rows.join('\n')}\n`);
        await waitFor(async () => (await devicesMadeBy(maker)) === 1000, {
          description: 'the first batch committed',
        });
        const [source] = execute.mock.calls[0] ?? [];
        const importing = execute.mock.results[0]?.value as Promise<unknown>;
        upload.destroy();
        await expect(importing).rejects.toThrow(ImportAbortedError);
        expect(source?.destroyed).toBe(true);
        expect(await devicesMadeBy(maker)).toBe(1000);
      } finally {
        execute.mockRestore();
      }
    });

    it('refuses an unknown file format, a wrong media type and an over-large body', async () => {
      const post = (body: string, type = 'text/csv') =>
        fetch(`${baseUrl}/v1/devices/import`, {
          method: 'POST',
          headers: { authorization: `Bearer ${regulator}`, 'content-type': type },
          body,
        });
      expect((await post('name;value\n1;2\n')).status).toBe(400);
      expect((await post('{}', 'application/xml')).status).toBe(415);
      expect((await post('x'.repeat(300 * 1024))).status).toBe(413);
      // Chunked, so no length to refuse up front: the limit inside the import's pipeline answers.
      const chunked = await fetch(`${baseUrl}/v1/devices/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${regulator}`, 'content-type': 'text/csv' },
        body: Readable.from([
          Buffer.from('deviceIdentifier,manufacturer,brand\n'),
          'x'.repeat(300 * 1024),
        ]),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(((await chunked.json()) as JsonBody)['detail']).toMatch(/limited to 262144 bytes/);
    });
  });

  it('matches the expected access of every device-registry route, for every role', async () => {
    const result = await runAuthorisationMatrix({
      app,
      baseUrl,
      token: (role, ods) => token(role, ods),
      ownOds: 'RXH01',
      otherOds: 'RAJ01',
      params: {
        deviceId: '019c0f3e-8a4b-7c3d-9e2f-0123456789ab',
        deviceIdentifier: '05012345678900',
      },
      expectations: {
        'GET /health': { public: true },
        'GET /metrics': { public: true },
        'POST /v1/devices': { roles: ['regulator', 'admin'] },
        'POST /v1/devices/import': { roles: ['regulator', 'admin'] },
        'GET /v1/devices': { roles: ['theatre', 'regulator', 'hospital-system', 'admin'] },
        'GET /v1/devices/by-identifier/:deviceIdentifier': {
          roles: ['theatre', 'regulator', 'hospital-system', 'admin'],
        },
        'GET /v1/devices/:deviceId': {
          roles: ['theatre', 'regulator', 'hospital-system', 'admin'],
        },
      },
    });
    expect(result).toMatchObject({ unexpectedRoutes: [], missingRoutes: [], mismatches: [] });
  });

  it('declares every route a regulator may call regulator-facing (no patient fields in its type)', () => {
    expect(regulatorRoutesNotRegulatorFacing(app).map((route) => route.key)).toEqual([]);
  });

  describe('concurrent registration', () => {
    it('registers one device when the same new device is posted eight times at once', async () => {
      const primary = withCheckDigit('0509876543210');
      const body = device({
        identifiers: [{ deviceIdentifier: primary, issuingAgency: 'GS1', type: 'primary' }],
        catalogNumber: 'REF-RACE',
      });
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => call('POST', '/v1/devices', body)),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([
        200, 200, 200, 200, 200, 200, 200, 201,
      ]);
      const deviceIds = new Set(responses.map((r) => r.body['deviceId']));
      expect(deviceIds.size).toBe(1);
      const [deviceId] = [...deviceIds];
      const events = (await outboxRows()).filter((row) => row.message_key === deviceId);
      expect(events.map((row) => row.event_type)).toEqual(['device.registered.v1']);
      const [row] = (await dataSource.query(
        `SELECT count(*)::int AS n FROM device_identifiers WHERE device_identifier = $1`,
        [primary],
      )) as [{ n: number }];
      expect(row.n).toBe(1);
    });
  });
});
