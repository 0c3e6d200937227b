import { randomUUID } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';

import { deadLetterTopicOf, DEVICES_TOPIC, EVENTS } from '@implant-trace/contracts';
import { runAuthorisationMatrix } from '@implant-trace/platform-auth';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import { CE_HEADERS, KafkaConnection, readTopic } from '@implant-trace/platform-messaging';
import { connectRedis } from '@implant-trace/platform-cache';
import type { OwnRedisServer } from '@implant-trace/platform-testing';
import { startOwnRedisServer, testInfrastructure, waitFor } from '@implant-trace/platform-testing';

import {
  deviceRecord,
  freshGtin,
  recallOf,
  Service,
  token,
  Upstream,
  withCaughtUpService,
  type JsonBody,
} from '../test-support/implant-events.test-bed';

describe('POST /v1/scans/check against the real PostgreSQL, Redis and Kafka', () => {
  jest.setTimeout(120_000);
  const upstream = new Upstream();
  const service = new Service();
  const gtin = freshGtin();
  const packageGtin = freshGtin();
  const recalledGtin = freshGtin();
  const unknownGtin = freshGtin();
  const device = deviceRecord([gtin, packageGtin]);
  const recalledDevice = deviceRecord([recalledGtin]);
  const recall = recallOf([recalledGtin], ['LOT-BAD']);
  const verdictOf = async (barcode: string) => (await service.scan({ barcode })).body['verdict'];

  withCaughtUpService(upstream, service, () => [
    [EVENTS.deviceRegisteredV1, device],
    [EVENTS.deviceRegisteredV1, recalledDevice],
    [EVENTS.recallIssuedV1, recall],
  ]);

  describe('verdicts', () => {
    it('answers OK for a known device, through any packaging level, with the parsed fields', async () => {
      for (const scanned of [gtin, packageGtin]) {
        const answer = await service.scan({ barcode: `(01)${scanned}(17)261201(10)LOT-1(21)S1` });
        expect(answer).toEqual({
          status: 200,
          body: {
            verdict: 'OK',
            udi: {
              format: 'gs1',
              issuingAgency: 'GS1',
              deviceIdentifier: scanned,
              lotNumber: 'LOT-1',
              serialNumber: 'S1',
              expirationDate: '2026-12-01',
            },
            device: expect.objectContaining({ deviceId: device.deviceId, brand: 'Acme Hip' }),
            recalls: [],
            warnings: [],
          },
        });
      }
    });

    it('answers RECALLED with the recall, matched on the lot and possible without one', async () => {
      const matched = await service.scan({ barcode: `(01)${recalledGtin}(10)LOT-BAD` });
      expect(matched.body).toMatchObject({
        verdict: 'RECALLED',
        recalls: [
          { recallId: recall.recallId, title: 'Liner wear', class: 'II', match: 'matched' },
        ],
      });
      const possible = await service.scan({ barcode: `(01)${recalledGtin}` });
      expect(possible.body).toMatchObject({
        verdict: 'RECALLED',
        recalls: [{ recallId: recall.recallId, match: 'possible' }],
      });
      expect(await verdictOf(`(01)${recalledGtin}(10)LOT-GOOD`)).toBe('OK');
    });

    it('answers EXPIRED the day after the expiry date in London, GS1 day 00 included', async () => {
      expect(await verdictOf(`(01)${gtin}(17)261130(10)L`)).toBe('EXPIRED');
      expect(await verdictOf(`(01)${gtin}(17)261100(10)L`)).toBe('EXPIRED');
      expect(await verdictOf(`(01)${gtin}(17)261200(10)L`)).toBe('OK');
    });

    it('answers UNKNOWN_DEVICE for an identifier the caught-up replica does not hold', async () => {
      expect(await service.scan({ barcode: `(01)${unknownGtin}` })).toMatchObject({
        status: 200,
        body: { verdict: 'UNKNOWN_DEVICE', udi: { deviceIdentifier: unknownGtin } },
      });
    });

    it('answers UNREADABLE with the parser errors', async () => {
      const answer = await service.scan({ barcode: 'not a barcode' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ verdict: 'UNREADABLE', recalls: [], warnings: [] });
      expect(answer.body['errors']).toEqual([
        expect.objectContaining({ code: 'UNRECOGNISED_FORMAT' }),
      ]);
      expect(answer.body['udi']).toBeUndefined();
    });

    it('assembles separate barcodes into one UDI and refuses two different devices', async () => {
      const assembled = await service.scan({
        barcodes: [`(01)${recalledGtin}`, '(17)271231(10)LOT-BAD', '(21)S77'],
      });
      expect(assembled.body).toMatchObject({
        verdict: 'RECALLED',
        udi: { lotNumber: 'LOT-BAD', serialNumber: 'S77', expirationDate: '2027-12-31' },
        recalls: [{ match: 'matched' }],
      });
      const twoDevices = await service.scan({ barcodes: [`(01)${gtin}`, `(01)${recalledGtin}`] });
      expect(twoDevices.body).toMatchObject({
        verdict: 'UNREADABLE',
        errors: [{ code: 'SCAN_DIFFERENT_DEVICES' }],
      });
      const conflicting = await service.scan({ barcodes: [`(01)${gtin}(10)A`, '(10)B'] });
      expect(conflicting.body).toMatchObject({
        verdict: 'UNREADABLE',
        errors: [{ code: 'SCAN_CONFLICTING_VALUES' }],
      });
    });

    it('ignores an older revision of a device and follows a newer one', async () => {
      const movedGtin = freshGtin();
      await upstream.publish(
        [
          EVENTS.deviceUpdatedV1,
          {
            ...device,
            revision: 3,
            identifiers: [
              ...device.identifiers,
              { deviceIdentifier: movedGtin, issuingAgency: 'GS1', type: 'previous' },
            ],
          },
        ],
        [EVENTS.deviceUpdatedV1, { ...device, revision: 2, brand: 'Stale brand' }],
      );
      await waitFor(async () => (await verdictOf(`(01)${movedGtin}`)) === 'OK', {
        description: 'revision 3 to be applied',
      });
      const answer = await service.scan({ barcode: `(01)${gtin}` });
      expect(answer.body['device']).toMatchObject({ brand: 'Acme Hip' });
      expect(answer.body['device']['identifiers']).toEqual([gtin, packageGtin, movedGtin]);
    });

    it('stops answering RECALLED once the recall is closed', async () => {
      const closable = freshGtin();
      const closableDevice = deviceRecord([closable]);
      const closing = recallOf([closable]);
      await upstream.publish(
        [EVENTS.deviceRegisteredV1, closableDevice],
        [EVENTS.recallIssuedV1, closing],
      );
      await waitFor(async () => (await verdictOf(`(01)${closable}`)) === 'RECALLED', {
        description: 'the recall to apply',
      });
      await upstream.publish([
        EVENTS.recallClosedV1,
        { recallId: closing.recallId, closedAt: new Date().toISOString() },
      ]);
      await waitFor(async () => (await verdictOf(`(01)${closable}`)) === 'OK', {
        description: 'the close to apply',
      });
    });
  });

  describe('malformed or unreadable', () => {
    it('sends a malformed device event to the dead-letter topic and applies the next one', async () => {
      const kafka = new KafkaConnection({
        clientId: 'it-upstream',
        brokers: testInfrastructure().kafkaBrokers,
      });
      const producer = kafka.idempotentProducer();
      await producer.connect();
      const malformed = deviceRecord([freshGtin()], { revision: 0 });
      const nextGtin = freshGtin();
      try {
        await producer.send({
          topic: DEVICES_TOPIC.name,
          acks: -1,
          messages: [
            {
              key: malformed.deviceId,
              value: JSON.stringify(malformed),
              headers: {
                [CE_HEADERS.id]: randomUUID(),
                [CE_HEADERS.type]: EVENTS.deviceRegisteredV1.type,
                [CE_HEADERS.source]: 'it-upstream',
                [CE_HEADERS.time]: new Date().toISOString(),
                [CE_HEADERS.specversion]: '1.0',
                [CE_HEADERS.subject]: malformed.deviceId,
              },
            },
          ],
        });
      } finally {
        await producer.disconnect();
      }
      await upstream.publish([EVENTS.deviceRegisteredV1, deviceRecord([nextGtin])]);
      const letters = await readTopic(kafka, deadLetterTopicOf(DEVICES_TOPIC.name), {
        until: (read) => read.some((m) => m.key === malformed.deviceId),
      });
      const letter = letters.find((m) => m.key === malformed.deviceId);
      expect(letter?.headers['dlq_reason']).toMatch(/revision/);
      await waitFor(async () => (await verdictOf(`(01)${nextGtin}`)) === 'OK', {
        description: 'the device after the malformed one',
      });
      expect(await verdictOf(`(01)${malformed.identifiers[0]!.deviceIdentifier}`)).toBe(
        'UNKNOWN_DEVICE',
      );
    });

    it('answers UNVERIFIED, not UNKNOWN_DEVICE or OK, when the replica cannot be read', async () => {
      const dataSource = service.app!.get(DataSource);
      await dataSource.query(`ALTER TABLE catalogue_identifiers RENAME TO catalogue_unreachable`);
      try {
        expect((await service.scan({ barcode: `(01)${gtin}` })).body).toMatchObject({
          verdict: 'UNVERIFIED',
          reasons: ['the catalogue replica cannot be read'],
        });
      } finally {
        await dataSource.query(`ALTER TABLE catalogue_unreachable RENAME TO catalogue_identifiers`);
      }
      expect(await verdictOf(`(01)${gtin}`)).toBe('OK');
    });
  });

  describe('bad input', () => {
    it.each([
      ['neither field', {}, ['barcode', 'barcodes']],
      ['a barcode that is not a string', { barcode: 42 }, ['barcode']],
      ['an empty barcode', { barcode: '' }, ['barcode']],
      ['a barcode longer than any symbol', { barcode: 'x'.repeat(8193) }, ['barcode']],
      ['barcodes that are not a list', { barcodes: 'x' }, ['barcodes']],
      ['an empty list of barcodes', { barcodes: [] }, ['barcodes']],
      ['more barcodes than a label holds', { barcodes: Array(9).fill('(01)x') }, ['barcodes']],
      ['a barcode in the list that is not a string', { barcodes: ['(01)x', 7] }, ['barcodes']],
      ['both fields', { barcode: '(01)x', barcodes: ['(01)x'] }, ['barcodes']],
      ['an unknown field', { barcode: '(01)x', patient: 'x' }, ['patient']],
    ])('refuses %s with problem+json naming each field', async (_case, body, fields) => {
      const response = await fetch(`${service.baseUrl}/v1/scans/check`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await token('theatre', 'RXH01')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect([...new Set(problem.errors.map((error) => error.field))].sort()).toEqual(fields);
    });
  });

  it('lets only theatre staff check a scan, record an implant or change its status, and hospital staff read a patient or the review queue', async () => {
    const result = await runAuthorisationMatrix({
      app: service.app!,
      baseUrl: service.baseUrl,
      token: (role, ods) => token(role, ods),
      params: { nhsNumber: '9434765919' },
      ownOds: 'RXH01',
      otherOds: 'RAJ01',
      bodies: {
        'POST /v1/scans/check': { barcode: `(01)${gtin}` },
        'POST /v1/implants': { barcode: `(01)${gtin}`, patient: { nhsNumber: '9434765919' } },
      },
      expectations: {
        'GET /health': { public: true },
        'GET /metrics': { public: true },
        'POST /v1/scans/check': { roles: ['theatre'] },
        'POST /v1/implants': { roles: ['theatre'] },
        'POST /v1/implants/:id/explant': { roles: ['theatre'] },
        'POST /v1/implants/:id/entered-in-error': { roles: ['theatre'] },
        'GET /v1/patients/:nhsNumber/implants': { roles: ['theatre', 'hospital-system'] },
        'GET /v1/review-queue': { roles: ['theatre', 'hospital-system'] },
        'POST /v1/review-queue/:id/resolve': { roles: ['theatre', 'hospital-system'] },
      },
    });
    expect(result).toMatchObject({ unexpectedRoutes: [], missingRoutes: [], mismatches: [] });
    expect(result.calls).toBe(81);
  });

  describe('after a restart', () => {
    let lock: QueryRunner | undefined;

    afterEach(async () => {
      if (lock?.isTransactionActive) await lock.rollbackTransaction();
      await lock?.release();
    });

    it('answers UNVERIFIED, never OK, until the index has caught up with a recall issued while it was down, then RECALLED', async () => {
      const restarting = new Service();
      const later = freshGtin();
      const lateRecall = recallOf([later]);
      await upstream.publish([EVENTS.deviceRegisteredV1, deviceRecord([later])]);
      await restarting.start();
      await restarting.untilCaughtUp();
      expect(await restarting.scan({ barcode: `(01)${later}` })).toMatchObject({
        body: { verdict: 'OK' },
      });
      await restarting.stop();

      await upstream.publish([EVENTS.recallIssuedV1, lateRecall]);
      // Holds the index's writes (reads go on), so the restarted consumer cannot catch up yet.
      const dataSource = createSchemaDataSource({
        url: testInfrastructure().databaseUrl,
        schema: restarting.schema,
      });
      await dataSource.initialize();
      lock = dataSource.createQueryRunner();
      await lock.startTransaction();
      await lock.query(`LOCK TABLE recall_index IN EXCLUSIVE MODE`);
      try {
        await restarting.start();
        const unsure = await restarting.scan({ barcode: `(01)${later}` });
        expect(unsure.body).toMatchObject({
          verdict: 'UNVERIFIED',
          reasons: [expect.stringMatching(/^the recall index is catching up/)],
        });
        const health = (await (await fetch(`${restarting.baseUrl}/health`)).json()) as JsonBody;
        expect(health).toMatchObject({
          status: 'degraded',
          checks: {
            scanIndex: { status: 'degraded', details: { reasons: unsure.body['reasons'] } },
          },
        });
        await lock.rollbackTransaction();
        await waitFor(
          async () =>
            (await restarting.scan({ barcode: `(01)${later}` })).body['verdict'] !== 'UNVERIFIED',
          { timeoutMs: 60_000, description: 'the index to catch up' },
        );
        expect((await restarting.scan({ barcode: `(01)${later}` })).body).toMatchObject({
          verdict: 'RECALLED',
          recalls: [{ recallId: lateRecall.recallId }],
        });
      } finally {
        await restarting.drop();
        await dataSource.destroy();
      }
    });
  });

  describe('once caught up', () => {
    it('answers UNVERIFIED, not OK, while a recall event cannot be applied, then RECALLED', async () => {
      const stuck = new Service({ DATABASE_LOCK_TIMEOUT_MS: '200' });
      const device = freshGtin();
      await upstream.publish([EVENTS.deviceRegisteredV1, deviceRecord([device])]);
      await stuck.start();
      const dataSource = createSchemaDataSource({
        url: testInfrastructure().databaseUrl,
        schema: stuck.schema,
      });
      await dataSource.initialize();
      const lock = dataSource.createQueryRunner();
      try {
        await stuck.untilCaughtUp();
        expect((await stuck.scan({ barcode: `(01)${device}` })).body['verdict']).toBe('OK');
        // Writes to the index time out (reads go on): the recall cannot be applied.
        await lock.startTransaction();
        await lock.query(`LOCK TABLE recall_index IN EXCLUSIVE MODE`);
        const unapplied = recallOf([device]);
        await upstream.publish([EVENTS.recallIssuedV1, unapplied]);
        await waitFor(
          async () =>
            (await stuck.scan({ barcode: `(01)${device}` })).body['verdict'] === 'UNVERIFIED',
          { description: 'the scan to be unverified while the recall is not applied' },
        );
        const unsure = await stuck.scan({ barcode: `(01)${device}` });
        expect(unsure.body['reasons']).toEqual([
          expect.stringMatching(
            /^the recall index (is held back at|has not yet applied an event of) recall-matching\.recalls\.v1/,
          ),
        ]);
        const rows = (await dataSource.query(`SELECT 1 FROM recall_index WHERE recall_id = $1`, [
          unapplied.recallId,
        ])) as unknown[];
        expect(rows).toHaveLength(0);
        await lock.rollbackTransaction();
        await waitFor(
          async () =>
            (await stuck.scan({ barcode: `(01)${device}` })).body['verdict'] === 'RECALLED',
          { timeoutMs: 30_000, description: 'the recall to apply once the index can be written' },
        );
      } finally {
        if (lock.isTransactionActive) await lock.rollbackTransaction();
        await lock.release();
        await dataSource.destroy();
        await stuck.drop();
      }
    });
  });

  describe('with a Redis of its own', () => {
    let redis: OwnRedisServer;
    const cached = new Service();
    const hot = freshGtin();

    beforeAll(async () => {
      redis = await startOwnRedisServer();
      cached.overrides = { REDIS_URL: redis.url };
      await upstream.publish([EVENTS.deviceRegisteredV1, deviceRecord([hot])]);
      await cached.start();
      await cached.untilCaughtUp();
    });

    afterAll(async () => {
      await cached.drop();
      await redis.stop();
    });

    it('never serves a cached index from before a recall whose generation bump Redis refused', async () => {
      expect((await cached.scan({ barcode: `(01)${hot}` })).body['verdict']).toBe('OK');
      const admin = await connectRedis(redis.url, { commandTimeoutMs: 1_000 });
      // Redis refuses SET (reads still work): the fault is a dropped invalidation.
      await admin.sendCommand(['ACL', 'SETUSER', 'default', '-set']);
      try {
        await expect(admin.set('probe', 'refused')).rejects.toThrow(/NOPERM/);
        const hotRecall = recallOf([hot]);
        await upstream.publish([EVENTS.recallIssuedV1, hotRecall]);
        const dataSource = cached.app!.get(DataSource);
        await waitFor(
          async () =>
            (
              (await dataSource.query(`SELECT 1 FROM recall_index WHERE recall_id = $1`, [
                hotRecall.recallId,
              ])) as unknown[]
            ).length === 1,
          { description: 'the recall to reach the index' },
        );
        // The copy from before the recall is still in Redis: serving it would answer OK.
        const keys = `implant-events:recalls:${cached.schema}`;
        const generation = (await admin.get(`${keys}:generation`)) ?? '0';
        const stale = await admin.get(`${keys}:open:${generation}`);
        expect(stale).not.toBeNull();
        expect(stale).not.toContain(hotRecall.recallId);
        expect((await cached.scan({ barcode: `(01)${hot}` })).body).toMatchObject({
          verdict: 'RECALLED',
          recalls: [{ recallId: hotRecall.recallId }],
        });
      } finally {
        await admin.sendCommand(['ACL', 'SETUSER', 'default', '+set']);
        await admin.close();
      }
    });

    it('never serves the copy it holds from before a Redis flush once a recall has applied since', async () => {
      const admin = await connectRedis(redis.url, { commandTimeoutMs: 1_000 });
      const dataSource = cached.app!.get(DataSource);
      const untilIndexed = (recallId: string) =>
        waitFor(
          async () =>
            (
              (await dataSource.query(`SELECT 1 FROM recall_index WHERE recall_id = $1`, [
                recallId,
              ])) as unknown[]
            ).length === 1,
          { description: 'the recall to reach the index' },
        );
      const held = freshGtin();
      await upstream.publish([EVENTS.deviceRegisteredV1, deviceRecord([held])]);
      try {
        await admin.flushAll();
        const first = recallOf([freshGtin()]);
        await upstream.publish([EVENTS.recallIssuedV1, first]);
        await untilIndexed(first.recallId);
        await waitFor(
          async () => (await cached.scan({ barcode: `(01)${held}` })).body['verdict'] === 'OK',
          { description: 'the service to hold a copy with the first recall and not the device' },
        );
        await admin.flushAll();
        expect(await admin.dbSize()).toBe(0);
        const second = recallOf([held]);
        await upstream.publish([EVENTS.recallIssuedV1, second]);
        await untilIndexed(second.recallId);
        // A counted generation would be back at the value of the copy this process holds.
        expect((await cached.scan({ barcode: `(01)${held}` })).body).toMatchObject({
          verdict: 'RECALLED',
          recalls: [{ recallId: second.recallId }],
        });
      } finally {
        await admin.close();
      }
    });

    it('answers from the database while Redis is stopped, and UNVERIFIED when neither answers', async () => {
      await redis.stop();
      const [{ pong }] = (await cached.app!.get(DataSource).query(`SELECT 'up' AS pong`)) as [
        { pong: string },
      ];
      expect(pong).toBe('up');
      expect((await cached.scan({ barcode: `(01)${hot}` })).body['verdict']).toBe('RECALLED');
      expect((await cached.scan({ barcode: `(01)${gtin}` })).body['verdict']).toBe('OK');

      const dataSource = cached.app!.get(DataSource);
      await dataSource.query(`ALTER TABLE recall_index RENAME TO recall_index_unreachable`);
      try {
        expect((await cached.scan({ barcode: `(01)${gtin}` })).body).toMatchObject({
          verdict: 'UNVERIFIED',
          reasons: [expect.stringMatching(/^the recall index cannot be read/)],
        });
      } finally {
        await dataSource.query(`ALTER TABLE recall_index_unreachable RENAME TO recall_index`);
      }
    });
  });
});
