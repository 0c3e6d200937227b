import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Role } from '@implant-trace/platform-auth';
import {
  mintDevelopmentToken,
  regulatorRoutesNotRegulatorFacing,
  runAuthorisationMatrix,
} from '@implant-trace/platform-auth';
import { DeviceRegistryConfig } from '@implant-trace/platform-config';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import { createServiceApp } from '@implant-trace/platform-http';
import { EventPublisher } from '@implant-trace/platform-messaging';
import { testInfrastructure, testServiceConfig, uniqueName } from '@implant-trace/platform-testing';

import {
  DEVICE_REGISTRY_ENTITIES,
  DEVICE_REGISTRY_MIGRATIONS,
  DeviceRegistryModule,
} from './device-registry.module';
import { ImportDevicesUseCase } from './import-devices/import-devices.use-case';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answers as loose JSON
type JsonBody = Record<string, any>;

const secret = 'integration-test-secret-of-at-least-32-chars';
const schema = uniqueName('it_device_registry');
const SAMPLES = join(__dirname, '../../sample-data');

function serviceConfig(): DeviceRegistryConfig {
  return testServiceConfig(DeviceRegistryConfig, {
    schema,
    jwtSecret: secret,
    overrides: { IMPORT_MAX_BYTES: String(64 * 1024) },
  });
}

const token = (role: Role, ods?: string) =>
  mintDevelopmentToken({
    secret,
    role,
    ...(ods === undefined ? {} : { ods }),
    issuer: 'implant-trace-dev',
    audience: 'implant-trace',
  });

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
          kafkaBrokers: config.kafkaBrokers,
          importMaxBytes: config.importMaxBytes,
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
      expect((await call('GET', '/v1/devices/by-identifier/05012345678917')).status).toBe(404);
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
      expect(conflict.body['errors']).toEqual([
        {
          field: 'identifiers[1].deviceIdentifier',
          message: `15012345678907 already identifies device ${deviceId}`,
        },
      ]);
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
        const weighted = [...body]
          .reverse()
          .reduce((sum, digit, k) => sum + Number(digit) * (k % 2 === 0 ? 3 : 1), 0);
        const gtin = `${body}${(10 - (weighted % 10)) % 10}`;
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
      expect(forged).toMatchObject({ status: 400, body: { errors: [{ field: 'cursor' }] } });
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

    it('refuses an unknown file format, a wrong media type and an over-large body', async () => {
      const post = (body: string, type = 'text/csv') =>
        fetch(`${baseUrl}/v1/devices/import`, {
          method: 'POST',
          headers: { authorization: `Bearer ${regulator}`, 'content-type': type },
          body,
        });
      expect((await post('name;value\n1;2\n')).status).toBe(400);
      expect((await post('{}', 'application/xml')).status).toBe(415);
      expect((await post('x'.repeat(70 * 1024))).status).toBe(413);
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
    const withCheckDigit = (body13: string) => {
      const sum = [...body13].reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
      return `${body13}${(10 - (sum % 10)) % 10}`;
    };

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
