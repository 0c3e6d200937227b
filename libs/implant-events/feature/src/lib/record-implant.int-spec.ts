import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import { EVENTS } from '@implant-trace/contracts';
import { encodeWristbandGsrn, testNhsNumber } from '@implant-trace/identifiers';

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

const PATIENT = { nhsNumber: testNhsNumber(11) };
/** A serial of this run only, within GS1's 20 characters for AI 21. */
const freshSerial = () => randomUUID().replace(/-/g, '').slice(0, 20);

describe('POST /v1/implants against the real PostgreSQL, Redis and Kafka', () => {
  jest.setTimeout(120_000);
  const upstream = new Upstream();
  const service = new Service();
  const gtin = freshGtin();
  const recalledGtin = freshGtin();
  const device = deviceRecord([gtin]);
  const recalledDevice = deviceRecord([recalledGtin]);
  const recall = recallOf([recalledGtin]);

  const record = (body: unknown, idempotencyKey?: string) =>
    service.post('/v1/implants', body, idempotencyKey === undefined ? {} : { idempotencyKey });
  const query = <T>(sql: string, parameters: unknown[] = []) =>
    service.app!.get(DataSource).query(sql, parameters) as Promise<T[]>;
  const implantCount = async () =>
    (await query<{ n: number }>(`SELECT count(*)::int AS n FROM implants`))[0]!.n;
  const eventsOf = async (implantId: string) =>
    query<{ event_type: string; payload: string }>(
      `SELECT event_type, payload FROM outbox WHERE message_key = $1 ORDER BY id`,
      [implantId],
    );

  withCaughtUpService(upstream, service, () => [
    [EVENTS.deviceRegisteredV1, device],
    [EVENTS.deviceRegisteredV1, recalledDevice],
    [EVENTS.recallIssuedV1, recall],
  ]);

  describe('recording', () => {
    it('records a known, unrecalled device unflagged, with its implant.recorded event in the same commit', async () => {
      const answer = await record({
        barcode: `(01)${gtin}(17)271201(10)LOT-1(21)${freshSerial()}`,
        patient: PATIENT,
        procedure: { code: 'W371', description: 'Total hip replacement' },
        bodySite: 'hip',
        laterality: 'left',
        implantedAt: '2026-12-01T08:30:00.000Z',
      });
      expect(answer).toMatchObject({
        status: 201,
        body: { entryMethod: 'barcode', verdict: 'OK', reviewFlags: [], warnings: [] },
      });
      const implantId = answer.body['implantId'] as string;
      const [row] = await query<JsonBody>(`SELECT * FROM implants WHERE implant_id = $1`, [
        implantId,
      ]);
      expect(row).toMatchObject({
        hospital_ods: 'RXH01',
        nhs_number: PATIENT.nhsNumber,
        device_id: device.deviceId,
        status: 'implanted',
        laterality: 'left',
      });
      const events = await eventsOf(implantId);
      expect(events.map((event) => event.event_type)).toEqual(['implant.recorded.v1']);
      expect(JSON.parse(events[0]!.payload)).toMatchObject({
        implantId,
        hospitalOds: 'RXH01',
        patient: PATIENT,
        deviceId: device.deviceId,
        udi: { deviceIdentifier: gtin, lotNumber: 'LOT-1' },
        reviewFlags: [],
      });
    });

    it.each([
      [
        'a recalled device',
        () => ({ barcode: `(01)${recalledGtin}`, patient: PATIENT }),
        'RECALLED',
        ['recalled-device'],
      ],
      [
        'an expired device',
        () => ({ barcode: `(01)${gtin}(17)261130`, patient: PATIENT }),
        'EXPIRED',
        ['expired-device'],
      ],
      [
        'an unknown device',
        () => ({ barcode: `(01)${freshGtin()}`, patient: PATIENT }),
        'UNKNOWN_DEVICE',
        ['unknown-device'],
      ],
      [
        'a manual entry',
        () => ({ manual: { deviceIdentifier: gtin, lotNumber: 'L7' }, patient: PATIENT }),
        'OK',
        ['manual-entry'],
      ],
      [
        'an unavailable NHS number',
        () => ({
          barcode: `(01)${gtin}`,
          patient: {
            nhsNumberUnavailable: { reason: 'unconscious, unidentified', localPatientId: 'MRN-77' },
          },
        }),
        'OK',
        ['nhs-number-unavailable'],
      ],
    ])(
      'records %s, flagged for review with the reason, never refused',
      async (_case, body, verdict, flags) => {
        const answer = await record(body());
        expect(answer).toMatchObject({ status: 201, body: { verdict, reviewFlags: flags } });
        expect(answer.body['warnings']).toHaveLength(1);
        const [row] = await query<JsonBody>(
          `SELECT review_flags FROM implants WHERE implant_id = $1`,
          [answer.body['implantId']],
        );
        expect(row!['review_flags']).toEqual(flags);
        const events = await eventsOf(answer.body['implantId'] as string);
        expect(JSON.parse(events[0]!.payload)).toMatchObject({ reviewFlags: flags });
      },
    );

    it('records a device it cannot verify, flagged unverified-device with why', async () => {
      await query(`ALTER TABLE catalogue_identifiers RENAME TO catalogue_unreachable`);
      let answer: { status: number; body: JsonBody };
      try {
        answer = await record({ barcode: `(01)${gtin}`, patient: PATIENT });
      } finally {
        await query(`ALTER TABLE catalogue_unreachable RENAME TO catalogue_identifiers`);
      }
      expect(answer).toMatchObject({
        status: 201,
        body: {
          verdict: 'UNVERIFIED',
          reviewFlags: ['unverified-device'],
          warnings: [
            'the device could not be checked against the catalogue and recalls',
            'unverified: the catalogue replica cannot be read',
          ],
        },
      });
    });

    it('reads the NHS number from a scanned wristband (GS1 GSRN, AI 8018)', async () => {
      const answer = await record({
        barcode: `(01)${gtin}`,
        patient: { wristbandBarcode: `(8018)${encodeWristbandGsrn('5012345', PATIENT.nhsNumber)}` },
      });
      expect(answer).toMatchObject({ status: 201, body: { reviewFlags: [] } });
      const [row] = await query<JsonBody>(`SELECT nhs_number FROM implants WHERE implant_id = $1`, [
        answer.body['implantId'],
      ]);
      expect(row!['nhs_number']).toBe(PATIENT.nhsNumber);
    });

    it('flags a device identifier and serial already live in another patient', async () => {
      const barcode = `(01)${gtin}(21)${freshSerial()}`;
      const first = await record({ barcode, patient: PATIENT });
      const second = await record({ barcode, patient: { nhsNumber: testNhsNumber(12) } });
      expect(first.body['reviewFlags']).toEqual([]);
      expect(second).toMatchObject({ status: 201, body: { reviewFlags: ['duplicate-serial'] } });
      expect(second.body['warnings']).toEqual([
        `the device identifier and serial are already live in implant ${first.body['implantId']}`,
      ]);
    });
  });

  describe('concurrency', () => {
    it('gives one record and one event for the same recording sent twice at once with one key', async () => {
      const key = randomUUID();
      const serial = freshSerial();
      const body = { barcode: `(01)${gtin}(21)${serial}`, patient: PATIENT };
      const answers = await Promise.all([record(body, key), record(body, key)]);
      const rows = await query<{ implant_id: string }>(
        `SELECT implant_id FROM implants WHERE serial_number = $1`,
        [serial],
      );
      expect(rows).toHaveLength(1);
      // The second waits for the first and is answered with its response.
      expect(answers.map((answer) => [answer.status, answer.body['implantId']])).toEqual([
        [201, rows[0]!.implant_id],
        [201, rows[0]!.implant_id],
      ]);
      expect(await eventsOf(rows[0]!.implant_id)).toHaveLength(1);
    });

    it('gives one record plus seven flagged duplicates for eight recordings of one serial at once', async () => {
      const serial = freshSerial();
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          record({
            barcode: `(01)${gtin}(21)${serial}`,
            patient: { nhsNumber: testNhsNumber(20 + index) },
          }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
      const flagged = answers.filter((answer) =>
        (answer.body['reviewFlags'] as string[]).includes('duplicate-serial'),
      );
      expect(flagged).toHaveLength(7);
      const rows = await query<{ review_flags: string[] }>(
        `SELECT review_flags FROM implants WHERE serial_number = $1`,
        [serial],
      );
      expect(rows.filter((row) => row.review_flags.length === 0)).toHaveLength(1);
      expect(rows).toHaveLength(8);
    });
  });

  describe('explant and entered-in-error', () => {
    const recordOne = async () =>
      (await record({ barcode: `(01)${gtin}(21)${freshSerial()}`, patient: PATIENT })).body[
        'implantId'
      ] as string;
    const change = (implantId: string, route: string, body: unknown, bearer?: string) =>
      service.post(
        `/v1/implants/${implantId}/${route}`,
        body,
        bearer === undefined ? {} : { bearer },
      );
    const rowOf = async (implantId: string) =>
      (
        await query<JsonBody>(
          `SELECT status, status_reason, status_changed_at FROM implants WHERE implant_id = $1`,
          [implantId],
        )
      )[0];

    it('explants once, with its implant.explanted event, and refuses a second explant or a correction with 409', async () => {
      const implantId = await recordOne();
      const explanted = await change(implantId, 'explant', {
        explantedAt: '2026-12-01T10:00:00.000Z',
        reason: 'infection',
      });
      expect(explanted).toEqual({ status: 200, body: { implantId, status: 'explanted' } });
      expect(await rowOf(implantId)).toEqual({
        status: 'explanted',
        status_reason: 'infection',
        status_changed_at: new Date('2026-12-01T10:00:00.000Z'),
      });
      expect((await change(implantId, 'explant', {})).status).toBe(409);
      expect((await change(implantId, 'entered-in-error', { reason: 'typo' })).status).toBe(409);
      const events = await eventsOf(implantId);
      expect(events.map((event) => event.event_type)).toEqual([
        'implant.recorded.v1',
        'implant.explanted.v1',
      ]);
      expect(JSON.parse(events[1]!.payload)).toMatchObject({
        implantId,
        hospitalOds: 'RXH01',
        explantedAt: '2026-12-01T10:00:00.000Z',
        reason: 'infection',
      });
    });

    it('enters a record in error with its reason and event, keeps the row, and refuses to explant it', async () => {
      const implantId = await recordOne();
      expect(await change(implantId, 'entered-in-error', { reason: 'wrong patient' })).toEqual({
        status: 200,
        body: { implantId, status: 'entered-in-error' },
      });
      expect(await rowOf(implantId)).toMatchObject({
        status: 'entered-in-error',
        status_reason: 'wrong patient',
      });
      expect((await change(implantId, 'explant', {})).status).toBe(409);
      const events = await eventsOf(implantId);
      expect(events.map((event) => event.event_type)).toEqual([
        'implant.recorded.v1',
        'implant.entered-in-error.v1',
      ]);
      expect(JSON.parse(events[1]!.payload)).toMatchObject({ implantId, reason: 'wrong patient' });
    });

    it('explants once when two explants arrive at once', async () => {
      const implantId = await recordOne();
      const answers = await Promise.all([
        change(implantId, 'explant', {}),
        change(implantId, 'explant', {}),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      expect(await eventsOf(implantId)).toHaveLength(2);
    });

    it("refuses another hospital's theatre, changing nothing", async () => {
      const implantId = await recordOne();
      const other = await token('theatre', 'RAJ01');
      expect((await change(implantId, 'explant', {}, other)).status).toBe(403);
      expect((await change(implantId, 'entered-in-error', { reason: 'x' }, other)).status).toBe(
        403,
      );
      expect(await rowOf(implantId)).toMatchObject({ status: 'implanted', status_reason: null });
      expect(await eventsOf(implantId)).toHaveLength(1);
    });

    it('answers 404 for an implant that does not exist', async () => {
      expect((await change(randomUUID(), 'explant', {})).status).toBe(404);
    });

    it.each([
      ['entered-in-error', {}, ['reason']],
      ['entered-in-error', { reason: '' }, ['reason']],
      ['entered-in-error', { reason: 'x'.repeat(2001) }, ['reason']],
      ['explant', { explantedAt: 'today' }, ['explantedAt']],
      ['explant', { reason: 7 }, ['reason']],
    ])(
      'refuses a bad %s body with problem+json naming each field, changing nothing',
      async (route, body, fields) => {
        const implantId = await recordOne();
        const answer = await change(implantId, route, body);
        expect(answer.status).toBe(400);
        const problem = answer.body as { errors: { field: string }[] };
        expect([...new Set(problem.errors.map((error) => error.field))].sort()).toEqual(fields);
        expect(await rowOf(implantId)).toMatchObject({ status: 'implanted' });
        expect(await eventsOf(implantId)).toHaveLength(1);
      },
    );
  });

  describe('GET /v1/patients/:nhsNumber/implants', () => {
    const patient = { nhsNumber: testNhsNumber(40) };
    const path = `/v1/patients/${patient.nhsNumber}/implants`;
    const implantIds: { live?: string; explanted?: string; inError?: string } = {};

    beforeAll(async () => {
      const recordFor = async (implantedAt: string) =>
        (
          await record({
            barcode: `(01)${gtin}(10)LOT-9(21)${freshSerial()}`,
            patient,
            implantedAt,
          })
        ).body['implantId'] as string;
      implantIds.explanted = await recordFor('2026-01-10T09:00:00.000Z');
      implantIds.live = await recordFor('2026-06-10T09:00:00.000Z');
      implantIds.inError = await recordFor('2026-07-10T09:00:00.000Z');
      await service.post(`/v1/implants/${implantIds.explanted}/explant`, {
        explantedAt: '2026-05-01T09:00:00.000Z',
      });
      await service.post(`/v1/implants/${implantIds.inError}/entered-in-error`, {
        reason: 'wrong patient',
      });
    });

    it('gives the implant card data, newest first, explanted ones marked, records in error left out', async () => {
      for (const bearer of [
        await token('theatre', 'RXH01'),
        await token('hospital-system', 'RXH01'),
      ]) {
        const answer = await service.get(path, bearer);
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({
          nhsNumber: patient.nhsNumber,
          implants: [
            expect.objectContaining({
              implantId: implantIds.live,
              status: 'implanted',
              implantedAt: '2026-06-10T09:00:00.000Z',
              hospitalOds: 'RXH01',
              lotNumber: 'LOT-9',
              udi: expect.objectContaining({ deviceIdentifier: gtin, lotNumber: 'LOT-9' }),
              device: {
                deviceId: device.deviceId,
                name: 'Acme Hip',
                model: 'AH-1',
                manufacturer: 'Acme Orthopaedics',
                mriSafety: 'conditional',
              },
            }),
            expect.objectContaining({
              implantId: implantIds.explanted,
              status: 'explanted',
              explantedAt: '2026-05-01T09:00:00.000Z',
            }),
          ],
        });
      }
    });

    it('audits each read with the implants it returned', async () => {
      const reads = () =>
        query<{ action: string; actor_ods: string; resource_ids: string[] }>(
          `SELECT action, actor_ods, resource_ids FROM audit_log
             WHERE action = 'patient.implants.read' ORDER BY seq`,
        );
      const before = (await reads()).length;
      await service.get(path);
      const after = await reads();
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)).toEqual({
        action: 'patient.implants.read',
        actor_ods: 'RXH01',
        resource_ids: [implantIds.live, implantIds.explanted],
      });
    });

    it("shows another hospital's theatre nothing of this hospital's patient", async () => {
      const answer = await service.get(path, await token('theatre', 'RAJ01'));
      expect(answer).toEqual({ status: 200, body: { nhsNumber: patient.nhsNumber, implants: [] } });
    });

    it('refuses an NHS number whose check digit fails with 422 naming it', async () => {
      const answer = await service.get('/v1/patients/9434765918/implants');
      expect(answer.status).toBe(422);
      expect((answer.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
        'nhsNumber',
      ]);
    });
  });

  describe('review queue', () => {
    const queueIds = async (bearer?: string) =>
      ((await service.get('/v1/review-queue', bearer)).body['items'] as JsonBody[]).map(
        (item) => item['implantId'] as string,
      );
    const resolve = (implantId: string, body: unknown, bearer?: string) =>
      service.post(
        `/v1/review-queue/${implantId}/resolve`,
        body,
        bearer === undefined ? {} : { bearer },
      );

    it("lists the hospital's flagged implants with their flags and warnings, not unflagged ones or another hospital's", async () => {
      const flagged = await record({ manual: { deviceIdentifier: gtin }, patient: PATIENT });
      const unflagged = await record({ barcode: `(01)${gtin}`, patient: PATIENT });
      const queue = await service.get('/v1/review-queue');
      expect(queue.status).toBe(200);
      const items = queue.body['items'] as JsonBody[];
      expect(items.find((item) => item['implantId'] === flagged.body['implantId'])).toMatchObject({
        patient: PATIENT,
        reviewFlags: ['manual-entry'],
        warnings: ['the device was entered by hand'],
        udi: { format: 'manual', deviceIdentifier: gtin },
      });
      expect(items.map((item) => item['implantId'])).not.toContain(unflagged.body['implantId']);
      for (const bearer of [
        await token('theatre', 'RAJ01'),
        await token('hospital-system', 'RAJ01'),
      ]) {
        expect(await queueIds(bearer)).not.toContain(flagged.body['implantId']);
      }
    });

    it('resolves a review once with its note, audited, and takes it off the queue', async () => {
      const implantId = (await record({ manual: { deviceIdentifier: gtin }, patient: PATIENT }))
        .body['implantId'] as string;
      const resolved = await resolve(implantId, { note: 'label checked against the box' });
      expect(resolved).toEqual({
        status: 200,
        body: { implantId, resolvedAt: '2026-12-01T09:00:00.000Z' },
      });
      expect(await queueIds()).not.toContain(implantId);
      const [row] = await query<JsonBody>(
        `SELECT review_note, review_resolved_by FROM implants WHERE implant_id = $1`,
        [implantId],
      );
      expect(row!['review_note']).toBe('label checked against the box');
      const audits = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log
           WHERE action = 'review-queue.resolve' AND resource_ids = ARRAY[$1]`,
        [implantId],
      );
      expect(audits[0]!.n).toBe(1);
      expect((await resolve(implantId, { note: 'again' })).status).toBe(409);
    });

    it("refuses an unflagged implant with 409, another hospital's token with 403, and a missing note naming it", async () => {
      const unflagged = (await record({ barcode: `(01)${gtin}`, patient: PATIENT })).body[
        'implantId'
      ] as string;
      expect((await resolve(unflagged, { note: 'n' })).status).toBe(409);
      const flagged = (await record({ manual: { deviceIdentifier: gtin }, patient: PATIENT })).body[
        'implantId'
      ] as string;
      expect((await resolve(flagged, { note: 'n' }, await token('theatre', 'RAJ01'))).status).toBe(
        403,
      );
      const missing = await resolve(flagged, {});
      expect(missing.status).toBe(400);
      const fields = (missing.body as { errors: { field: string }[] }).errors.map((e) => e.field);
      expect([...new Set(fields)]).toEqual(['note']);
      expect(await queueIds()).toContain(flagged);
    });
  });

  describe('bad input', () => {
    const valid = () => ({ barcode: `(01)${gtin}`, patient: PATIENT });
    it.each([
      ['no device', { patient: PATIENT }, 400, ['barcode', 'barcodes', 'manual']],
      [
        'two device sources',
        { ...valid(), manual: { deviceIdentifier: gtin } },
        400,
        ['barcode', 'manual'],
      ],
      ['an empty barcode', { ...valid(), barcode: '' }, 400, ['barcode']],
      [
        'a manual entry without identifier',
        { manual: {}, patient: PATIENT },
        400,
        ['manual.deviceIdentifier'],
      ],
      [
        'a manual expiry that is not a date',
        { manual: { deviceIdentifier: gtin, expirationDate: '1/2/27' }, patient: PATIENT },
        400,
        ['manual.expirationDate'],
      ],
      ['no patient', { barcode: `(01)${gtin}` }, 400, ['patient']],
      [
        'a patient given two ways',
        { ...valid(), patient: { ...PATIENT, wristbandBarcode: 'x' } },
        400,
        ['patient.nhsNumber', 'patient.wristbandBarcode'],
      ],
      [
        'an NHS number of nine digits',
        { ...valid(), patient: { nhsNumber: '123456789' } },
        400,
        ['patient.nhsNumber'],
      ],
      [
        'an unavailable NHS number without its reason',
        { ...valid(), patient: { nhsNumberUnavailable: { localPatientId: 'M1' } } },
        400,
        ['patient.nhsNumberUnavailable.reason'],
      ],
      ['an unknown laterality', { ...valid(), laterality: 'middle' }, 400, ['laterality']],
      [
        'an implant time that is not a time',
        { ...valid(), implantedAt: 'yesterday' },
        400,
        ['implantedAt'],
      ],
      ['a procedure that is not an object', { ...valid(), procedure: 'hip' }, 400, ['procedure']],
      [
        'an NHS number whose check digit fails',
        { ...valid(), patient: { nhsNumber: '9434765918' } },
        422,
        ['patient.nhsNumber'],
      ],
      [
        'a wristband whose GSRN check digit fails',
        { ...valid(), patient: { wristbandBarcode: '(8018)501234594347659190' } },
        422,
        ['patient.wristbandBarcode'],
      ],
      ['a barcode that is not a UDI', { ...valid(), barcode: 'not a barcode' }, 422, ['barcode']],
    ])(
      'refuses %s with problem+json naming each field, storing nothing',
      async (_case, body, status, fields) => {
        const before = await implantCount();
        const answer = await service.post('/v1/implants', body);
        expect(answer.status).toBe(status);
        const problem = answer.body as { errors: { field: string }[] };
        expect([...new Set(problem.errors.map((error) => error.field))].sort()).toEqual(fields);
        expect(await implantCount()).toBe(before);
      },
    );
  });
});
