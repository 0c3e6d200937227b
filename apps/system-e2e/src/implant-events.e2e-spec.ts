import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';

import { testNhsNumber } from '@implant-trace/identifiers';
import { mintDevelopmentToken } from '@implant-trace/platform-auth';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import {
  dropTestSchema,
  freshGtin,
  testInfrastructure,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';

import { RecallMatchingClient } from './support/recall-matching-client';
import type { RunningService } from './support/service-process';
import { startService } from './support/service-process';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answers as loose JSON
type JsonBody = Record<string, any>;

const IMPLANT_EVENTS_PORT = 3102;
const RECALL_MATCHING_PORT = 3103;

describe('implant-events scan check, end to end', () => {
  const registrySchema = uniqueName('e2e_scan_device_registry');
  const implantEventsSchema = uniqueName('e2e_scan_implant_events');
  const recallMatchingSchema = uniqueName('e2e_scan_recall_matching');
  // One secret for every service, so one token is accepted by each, as under npm start.
  const jwtSecret = randomBytes(32).toString('hex');
  let registry: RunningService;
  let implantEvents: RunningService;
  let recallMatching: RunningService;
  let recalls: RecallMatchingClient;

  const primary = freshGtin('0');
  const unitOfUse = freshGtin('0');
  const outerBox = freshGtin('1');
  const catalogNumber = `REF-${randomInt(10 ** 6)}`;
  let deviceId: string;
  let recallId: string;
  const recall = {
    title: 'Liner wear',
    reason: 'Early wear of the liner in lot LOT-R1',
    class: 'II',
    // By the primary identifier: a recall selects the device at every packaging level.
    criteria: { deviceIdentifiers: [primary], lotNumbers: ['LOT-R1'] },
  };

  const startImplantEvents = () =>
    startService('implant-events', {
      port: IMPLANT_EVENTS_PORT,
      schema: implantEventsSchema,
      jwtSecret,
      // As npm start runs it: demo patients carry test numbers, a live one is refused.
      env: { NHS_NUMBER_POLICY: 'require-test-numbers' },
    });

  beforeAll(async () => {
    [registry, implantEvents, recallMatching] = await Promise.all([
      startService('device-registry', { port: 3101, schema: registrySchema, jwtSecret }),
      startImplantEvents(),
      startService('recall-matching', {
        port: RECALL_MATCHING_PORT,
        schema: recallMatchingSchema,
        jwtSecret,
      }),
    ]);
    recalls = new RecallMatchingClient(recallMatching, () => token('regulator'));
  });

  afterAll(async () => {
    await Promise.all([registry?.stop(), implantEvents?.stop(), recallMatching?.stop()]);
    await Promise.all([
      dropTestSchema(registrySchema),
      dropTestSchema(implantEventsSchema),
      dropTestSchema(recallMatchingSchema),
    ]);
  });

  function token(role: 'regulator' | 'theatre', ods?: string): Promise<string> {
    return mintDevelopmentToken({
      role,
      ...(ods === undefined ? {} : { ods }),
      secret: jwtSecret,
      issuer: registry.issuer,
      audience: registry.audience,
    });
  }

  async function scan(
    barcode: string,
    { ods = 'RXH01' }: { ods?: string } = {},
  ): Promise<{ status: number; body: JsonBody }> {
    const response = await fetch(`${implantEvents.baseUrl}/v1/scans/check`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token('theatre', ods)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ barcode }),
    });
    return { status: response.status, body: (await response.json()) as JsonBody };
  }

  /** A theatre at RXH01 records an implant, with an Idempotency-Key of its own. */
  async function recordImplant(body: unknown): Promise<{ status: number; body: JsonBody }> {
    const response = await fetch(`${implantEvents.baseUrl}/v1/implants`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token('theatre', 'RXH01')}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as JsonBody };
  }

  const verdictOf = async (barcode: string) => (await scan(barcode)).body['verdict'] as string;

  it('answers OK for a device registered over HTTP, from its unit-of-use and its outer-box barcode', async () => {
    const created = await fetch(`${registry.baseUrl}/v1/devices`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token('regulator')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        identifiers: [
          { deviceIdentifier: primary, issuingAgency: 'GS1', type: 'primary' },
          { deviceIdentifier: unitOfUse, issuingAgency: 'GS1', type: 'unit-of-use' },
          {
            deviceIdentifier: outerBox,
            issuingAgency: 'GS1',
            type: 'package',
            quantityPerPackage: 5,
          },
        ],
        manufacturer: 'E2E Orthopaedics Ltd',
        brand: 'E2E Hip',
        model: 'Cup 52',
        catalogNumber,
        implantable: true,
        mriSafety: 'conditional',
        labelCarries: {
          lotNumber: true,
          serialNumber: true,
          expirationDate: true,
          manufactureDate: false,
        },
      }),
    });
    expect(created.status).toBe(201);
    ({ deviceId } = (await created.json()) as { deviceId: string });

    // The record travels device-registry -> outbox -> Kafka -> implant-events' replica.
    // UNVERIFIED too until the replica has caught up with the topic: a broker that already holds
    // other devices' events (a developer's `npm start`) makes that take a while.
    await waitFor(
      async () => !['UNKNOWN_DEVICE', 'UNVERIFIED'].includes(await verdictOf(`(01)${unitOfUse}`)),
      {
        timeoutMs: 30_000,
        description: "the device to reach implant-events' replica, caught up with the topic",
      },
    );
    const device = {
      deviceId,
      // Every packaging level resolves to the device; the replica keeps its own order.
      identifiers: expect.arrayContaining([primary, unitOfUse, outerBox]),
      manufacturer: 'E2E Orthopaedics Ltd',
      brand: 'E2E Hip',
      model: 'Cup 52',
      catalogNumber,
      implantable: true,
      mriSafety: 'conditional',
      labelCarries: {
        lotNumber: true,
        serialNumber: true,
        expirationDate: true,
        manufactureDate: false,
      },
      status: 'on-market',
    };
    expect(await scan(`(01)${unitOfUse}(17)301231(10)LOT-R1(21)S1001`)).toEqual({
      status: 200,
      body: {
        verdict: 'OK',
        udi: {
          format: 'gs1',
          issuingAgency: 'GS1',
          deviceIdentifier: unitOfUse,
          lotNumber: 'LOT-R1',
          serialNumber: 'S1001',
          expirationDate: '2030-12-31',
        },
        device,
        recalls: [],
        warnings: [],
      },
    });
    const fromBox = await scan(`(01)${outerBox}(17)301231(10)LOT-R1`);
    expect(fromBox.body['device']['identifiers']).toHaveLength(3);
    expect(fromBox).toEqual({
      status: 200,
      body: {
        verdict: 'OK',
        udi: {
          format: 'gs1',
          issuingAgency: 'GS1',
          deviceIdentifier: outerBox,
          lotNumber: 'LOT-R1',
          expirationDate: '2030-12-31',
        },
        device,
        recalls: [],
        warnings: [],
      },
    });
  });

  it('answers RECALLED for the recalled lot at two hospitals, OK for another lot, and a possible match without a lot', async () => {
    // Issued over recall-matching's API; its event reaches implant-events' index over Kafka.
    recallId = (await recalls.issue(recall))['recallId'] as string;
    await waitFor(async () => (await verdictOf(`(01)${unitOfUse}(10)LOT-R1`)) === 'RECALLED', {
      timeoutMs: 20_000,
      description: 'the recall to reach the recall index',
    });
    const hit = { recallId, title: 'Liner wear', class: 'II' };
    for (const ods of ['RXH01', 'RAJ01']) {
      for (const scanned of [`(01)${unitOfUse}(10)LOT-R1(21)S1001`, `(01)${outerBox}(10)LOT-R1`]) {
        const answer = await scan(scanned, { ods });
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({
          verdict: 'RECALLED',
          recalls: [{ ...hit, match: 'matched' }],
        });
      }
    }
    expect(await scan(`(01)${unitOfUse}(17)301231(10)LOT-G2(21)S2002`)).toMatchObject({
      status: 200,
      body: { verdict: 'OK', recalls: [] },
    });
    // The label carries a lot, but this read has none: the lot-constrained recall may apply.
    expect(await scan(`(01)${unitOfUse}(21)S3003`)).toMatchObject({
      status: 200,
      body: { verdict: 'RECALLED', recalls: [{ ...hit, match: 'possible' }] },
    });
  });

  it('records a recalled device anyway, flagged for review, on the patient and the review queue', async () => {
    const patient = { nhsNumber: testNhsNumber(4242) };
    const { status, body } = await recordImplant({
      barcode: `(01)${unitOfUse}(17)301231(10)LOT-R1(21)S4004`,
      patient,
      laterality: 'left',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      entryMethod: 'barcode',
      verdict: 'RECALLED',
      reviewFlags: ['recalled-device'],
    });
    const implantId = body['implantId'] as string;
    const get = async (path: string, ods: string) =>
      (
        await fetch(`${implantEvents.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${await token('theatre', ods)}` },
        })
      ).json() as Promise<JsonBody>;
    const queue = (await get('/v1/review-queue', 'RXH01'))['items'] as JsonBody[];
    expect(queue.filter((item) => item['implantId'] === implantId)).toMatchObject([
      { reviewFlags: ['recalled-device'], patient },
    ]);
    const cards = (await get(`/v1/patients/${patient.nhsNumber}/implants`, 'RXH01'))[
      'implants'
    ] as JsonBody[];
    expect(cards.map((card) => card['implantId'])).toEqual([implantId]);
    // Another hospital's theatre sees nothing of this hospital's patient or review queue.
    expect((await get(`/v1/patients/${patient.nhsNumber}/implants`, 'RAJ01'))['implants']).toEqual(
      [],
    );
    const otherQueue = (await get('/v1/review-queue', 'RAJ01'))['items'] as JsonBody[];
    expect(otherQueue.map((item) => item['implantId'])).not.toContain(implantId);
  });

  it('refuses a live NHS number where the deployment takes test numbers only, storing nothing', async () => {
    const live = '9434765919';
    const recorded = await recordImplant({
      barcode: `(01)${unitOfUse}(10)LOT-2`,
      patient: { nhsNumber: live },
    });
    expect(recorded.status).toBe(422);
    expect(recorded.body['errors']).toEqual([
      { field: 'patient.nhsNumber', message: expect.stringMatching(/test NHS numbers/) },
    ]);
    const cards = await fetch(`${implantEvents.baseUrl}/v1/patients/${live}/implants`, {
      headers: { authorization: `Bearer ${await token('theatre', 'RXH01')}` },
    });
    expect(((await cards.json()) as JsonBody)['implants']).toEqual([]);
  });

  it('refuses an unauthenticated scan (401) and a regulator (403)', async () => {
    const body = JSON.stringify({ barcode: `(01)${unitOfUse}` });
    const anonymous = await fetch(`${implantEvents.baseUrl}/v1/scans/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const regulator = await fetch(`${implantEvents.baseUrl}/v1/scans/check`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token('regulator')}`,
        'content-type': 'application/json',
      },
      body,
    });
    expect(regulator.status).toBe(403);
    expect(regulator.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers EXPIRED for an expired label, UNKNOWN_DEVICE for an unknown GTIN, UNREADABLE for garbage', async () => {
    expect(await scan(`(01)${unitOfUse}(17)200131(10)LOT-G2`)).toMatchObject({
      status: 200,
      body: { verdict: 'EXPIRED', udi: { expirationDate: '2020-01-31' }, recalls: [] },
    });
    const unknown = freshGtin('0');
    const unknownAnswer = await scan(`(01)${unknown}`);
    expect(unknownAnswer).toMatchObject({
      status: 200,
      body: { verdict: 'UNKNOWN_DEVICE', udi: { deviceIdentifier: unknown }, recalls: [] },
    });
    expect(unknownAnswer.body['device']).toBeUndefined();
    const garbage = await scan('this is not a barcode');
    expect(garbage).toMatchObject({ status: 200, body: { verdict: 'UNREADABLE', recalls: [] } });
    expect(garbage.body['udi']).toBeUndefined();
    expect(garbage.body['errors']).toEqual([
      expect.objectContaining({ code: 'UNRECOGNISED_FORMAT' }),
    ]);
  });

  describe('after a restart', () => {
    let lock: QueryRunner | undefined;

    afterEach(async () => {
      if (lock?.isTransactionActive) await lock.rollbackTransaction();
      await lock?.release();
      await lock?.connection.destroy();
    });

    it('never answers OK for a lot recalled while it was down: UNVERIFIED until caught up, then RECALLED', async () => {
      const lateLot = `(01)${unitOfUse}(17)301231(10)LOT-L3`;
      expect(await verdictOf(lateLot)).toBe('OK');
      // Nest's shutdown hooks close the app on SIGTERM, then end the process by the same signal.
      expect(await implantEvents.stop()).toEqual({ code: null, signal: 'SIGTERM' });

      // On the topic before implant-events restarts (issue waits for it there).
      const lateRecall = await recalls.issue({
        ...recall,
        title: 'Cup fracture',
        criteria: { deviceIdentifiers: [primary], lotNumbers: ['LOT-L3'] },
      });
      // Holds the index's writes (reads go on), so the restarted service cannot catch up until
      // the test has scanned: without it the race is won before the first scan, unseen.
      const owner = createSchemaDataSource({
        url: testInfrastructure().databaseUrl,
        schema: implantEventsSchema,
      });
      await owner.initialize();
      lock = owner.createQueryRunner();
      await lock.startTransaction();
      await lock.query(`LOCK TABLE recall_index IN EXCLUSIVE MODE`);

      implantEvents = await startImplantEvents();
      const first = await scan(lateLot);
      expect(first).toMatchObject({ status: 200, body: { verdict: 'UNVERIFIED' } });
      // Whether the event it fetched has also been unapplied for long enough to be named depends
      // on how long the start took; the catch-up itself is always named.
      const reasons = first.body['reasons'] as string[];
      expect(reasons).toContainEqual(
        expect.stringMatching(/^the recall index is catching up with recall-matching\.recalls\.v1/),
      );
      for (const reason of reasons) expect(reason).toMatch(/^the recall index /);
      // The recall known before the restart is still answered at once.
      expect(await verdictOf(`(01)${unitOfUse}(10)LOT-R1`)).toBe('RECALLED');
      await lock.rollbackTransaction();

      const seen = new Set<string>([first.body['verdict'] as string]);
      const caughtUp = await waitFor(
        async () => {
          const answer = await scan(lateLot);
          seen.add(answer.body['verdict'] as string);
          return answer.body['verdict'] !== 'UNVERIFIED' && answer;
        },
        { timeoutMs: 20_000, description: 'the restarted service to catch up' },
      );
      expect([...seen].sort()).toEqual(['RECALLED', 'UNVERIFIED']);
      expect(caughtUp.body).toMatchObject({
        verdict: 'RECALLED',
        recalls: [{ recallId: lateRecall['recallId'], title: 'Cup fracture', match: 'matched' }],
      });
    });
  });
});
