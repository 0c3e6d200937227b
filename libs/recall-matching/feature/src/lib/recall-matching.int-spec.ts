import { randomInt, randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { EVENTS, type ImplantRecordedV1, type RecallCriteriaValue } from '@implant-trace/contracts';
import { InboxBatchContext } from '@implant-trace/platform-messaging';
import { waitFor } from '@implant-trace/platform-testing';

import {
  deviceRecord,
  freshOds,
  freshGtin,
  implantRecorded,
  Service,
  Upstream,
  type JsonBody,
  type UpstreamEvent,
} from '../test-support/recall-matching.test-bed';
import { ImplantProjectionConsumer } from './implant-projection/implant-projection.consumer';

describe('recall-matching against the real PostgreSQL and Kafka', () => {
  jest.setTimeout(180_000);
  const upstream = new Upstream();
  const service = new Service();

  beforeAll(async () => {
    await upstream.start();
    await service.start();
  });

  afterAll(async () => {
    await service.drop();
    await upstream.stop();
  });

  const feed = async (...events: UpstreamEvent[]) => {
    const ids = await upstream.publish(...events);
    await service.untilCaughtUp();
    return ids;
  };
  const recorded = (implant: ImplantRecordedV1): UpstreamEvent => [
    EVENTS.implantRecordedV1,
    implant,
  ];
  const registered = (device: object): UpstreamEvent => [EVENTS.deviceRegisteredV1, device];
  const issue = (criteria: RecallCriteriaValue, extra: JsonBody = {}) =>
    service.call('POST', '/v1/recalls', {
      title: 'Liner wear',
      reason: 'Early wear of the liner',
      class: 'II',
      criteria,
      ...extra,
    });
  /** The live matches of a recall among some implants: implant id -> kind. */
  const liveMatches = async (recallId: string, implants: ImplantRecordedV1[]) => {
    const rows = await service.query<{ implant_id: string; kind: string }>(
      `SELECT implant_id, kind FROM matches WHERE recall_id = $1 AND live AND implant_id = ANY($2)`,
      [recallId, implants.map((implant) => implant.implantId)],
    );
    const names = new Map(implants.map((implant, index) => [implant.implantId, index]));
    return Object.fromEntries(
      rows
        .map((row) => [names.get(row.implant_id), row.kind] as const)
        .sort(([a], [b]) => (a ?? 0) - (b ?? 0)),
    );
  };
  const eventsFor = async (recallId: string, implants: ImplantRecordedV1[]) => {
    const ids = new Set(implants.map((implant) => implant.implantId));
    return (await service.matchEvents(recallId)).filter((event) =>
      ids.has(event.payload['implantId'] as string),
    );
  };

  describe('projection', () => {
    it('projects an implant scanned at any packaging level onto its device', async () => {
      const [primary, box] = [freshGtin(), freshGtin()];
      const device = deviceRecord([primary, box]);
      const implant = implantRecorded({
        deviceIdentifier: box,
        lotNumber: 'L-1',
        serialNumber: '000123',
        expirationDate: '2030-01-31',
      });
      await feed(registered(device), recorded(implant));
      const [row] = await service.query<JsonBody>(`SELECT * FROM implants WHERE implant_id = $1`, [
        implant.implantId,
      ]);
      expect(row).toMatchObject({
        recorded: true,
        device_id: device.deviceId,
        device_identifier: box,
        lot_number: 'L-1',
        serial_number: '000123',
        serial_value: '123',
        expiration_date: '2030-01-31',
        manufacture_date: null,
        status: 'active',
      });
    });

    it('keeps the newest revision of a device only', async () => {
      const gtin = freshGtin();
      const device = deviceRecord([gtin]);
      await feed(registered({ ...device, revision: 2, model: 'NEW' }), [
        EVENTS.deviceUpdatedV1,
        { ...device, revision: 1, model: 'OLD' },
      ]);
      const [row] = await service.query<JsonBody>(
        `SELECT revision, model_key FROM catalogue_devices WHERE device_id = $1`,
        [device.deviceId],
      );
      expect(row).toEqual({ revision: 2, model_key: 'new' });
    });
  });

  describe('dry run', () => {
    it('counts implants and patients, matched and possible, by hospital, and stores and sends nothing', async () => {
      const [odsA, odsB] = [freshOds(), freshOds()];
      const gtin = freshGtin();
      const twice = { nhsNumber: implantRecorded({ deviceIdentifier: gtin }).patient.nhsNumber! };
      const implants = [
        implantRecorded(
          { deviceIdentifier: gtin, lotNumber: 'D1' },
          { hospitalOds: odsA, patient: twice },
        ),
        implantRecorded(
          { deviceIdentifier: gtin, lotNumber: 'D1' },
          { hospitalOds: odsA, patient: twice },
        ),
        implantRecorded({ deviceIdentifier: gtin }, { hospitalOds: odsA }),
        implantRecorded({ deviceIdentifier: gtin, lotNumber: 'D1' }, { hospitalOds: odsB }),
        implantRecorded({ deviceIdentifier: gtin, lotNumber: 'D1' }, { hospitalOds: odsB }),
        implantRecorded({ deviceIdentifier: gtin, lotNumber: 'D2' }, { hospitalOds: odsB }),
      ];
      await feed(registered(deviceRecord([gtin])), ...implants.map(recorded), [
        EVENTS.implantExplantedV1,
        {
          implantId: implants[4]!.implantId,
          hospitalOds: odsB,
          explantedAt: '2026-12-01T10:00:00.000Z',
          recordedBy: 'surgeon',
        },
      ]);
      const counted = `SELECT (SELECT count(*) FROM outbox)::int AS outbox, (SELECT count(*) FROM recalls)::int AS recalls, (SELECT count(*) FROM matches)::int AS matches`;
      const before = await service.query(counted);

      const answer = await service.call('POST', '/v1/recall-queries', {
        criteria: { deviceIdentifiers: [gtin], lotNumbers: ['D1'] },
      });

      expect(answer.status).toBe(200);
      const ours = (answer.body['byHospital'] as { ods: string }[]).filter((row) =>
        [odsA, odsB].includes(row.ods),
      );
      expect(ours).toEqual(
        [
          {
            ods: odsA,
            matched: { implants: 2, patients: 1 },
            possible: { implants: 1, patients: 1 },
          },
          {
            ods: odsB,
            matched: { implants: 1, patients: 1 },
            possible: { implants: 0, patients: 0 },
          },
        ].sort((a, b) => a.ods.localeCompare(b.ods)),
      );
      expect(answer.body['matched']['implants']).toBeGreaterThanOrEqual(3);
      expect(await service.query(counted)).toEqual(before);
    });

    it('refuses criteria without a device selector, naming the field', async () => {
      const answer = await service.call('POST', '/v1/recall-queries', {
        criteria: { lotNumbers: ['L1'] },
      });
      expect(answer).toMatchObject({
        status: 400,
        body: { errors: [expect.objectContaining({ field: 'criteria' })] },
      });
    });
  });

  describe('issuing a recall', () => {
    it('publishes recall.issued and one recall.match.found per affected implant, keyed by its hospital', async () => {
      const [odsA, odsB] = [freshOds(), freshOds()];
      const gtin = freshGtin();
      const device = deviceRecord([gtin]);
      const other = deviceRecord([freshGtin()]);
      const a = implantRecorded({ deviceIdentifier: gtin, lotNumber: 'L1' }, { hospitalOds: odsA });
      const b = implantRecorded({ deviceIdentifier: gtin, lotNumber: 'L2' }, { hospitalOds: odsB });
      const notLot = implantRecorded({ deviceIdentifier: gtin, lotNumber: 'L3' });
      const notDevice = implantRecorded({
        deviceIdentifier: other.identifiers[0]!.deviceIdentifier,
        lotNumber: 'L1',
      });
      await feed(registered(device), registered(other), ...[a, b, notLot, notDevice].map(recorded));

      const answer = await issue(
        { deviceIdentifiers: [gtin], lotNumbers: ['L1', 'L2'] },
        { actionsUnderwayBy: '2026-12-08', actionsCompleteBy: '2027-01-31' },
      );

      expect(answer).toMatchObject({
        status: 201,
        body: { status: 'open', title: 'Liner wear', class: 'II', actionsUnderwayBy: '2026-12-08' },
      });
      const recallId = answer.body['recallId'] as string;
      const [issued] = await service.query<{ message_key: string; payload: string }>(
        `SELECT message_key, payload FROM outbox WHERE event_type = 'recall.issued.v1' AND message_key = $1`,
        [recallId],
      );
      expect(JSON.parse(issued!.payload)).toMatchObject({
        recallId,
        status: 'open',
        criteria: { deviceIdentifiers: [gtin], lotNumbers: ['L1', 'L2'] },
      });
      const keys = await service.query<{ message_key: string; payload: string }>(
        `SELECT message_key, payload FROM outbox WHERE event_type = 'recall.match.found.v1'
           AND payload::jsonb ->> 'recallId' = $1 AND message_key = ANY($2)`,
        [recallId, [odsA, odsB]],
      );
      expect(
        keys.map((row) => [row.message_key, JSON.parse(row.payload).implantId]).sort(),
      ).toEqual(
        [
          [odsA, a.implantId],
          [odsB, b.implantId],
        ].sort(),
      );
      expect(JSON.parse(keys[0]!.payload)).toMatchObject({
        match: 'matched',
        patient: expect.objectContaining({ nhsNumber: expect.any(String) }),
        udi: { deviceIdentifier: gtin },
      });
      expect(await liveMatches(recallId, [a, b, notLot, notDevice])).toEqual({
        0: 'matched',
        1: 'matched',
      });
    });

    it('selects the device by an identifier typed in another spelling (an EAN-13 for its GTIN-14)', async () => {
      const gtin = freshGtin();
      const implant = implantRecorded({ deviceIdentifier: gtin });
      await feed(registered(deviceRecord([gtin])), recorded(implant));
      const answer = await issue({ deviceIdentifiers: [gtin.slice(1)] });
      expect(answer).toMatchObject({
        status: 201,
        body: { criteria: { deviceIdentifiers: [gtin] } },
      });
      expect(await liveMatches(answer.body['recallId'] as string, [implant])).toEqual({
        0: 'matched',
      });
      const wrong = await issue({
        deviceIdentifiers: [`${gtin.slice(0, 13)}${(Number(gtin[13]) + 1) % 10}`],
      });
      expect(wrong).toMatchObject({
        status: 400,
        body: { errors: [{ field: 'criteria.deviceIdentifiers[0]' }] },
      });
    });

    it('refuses invalid criteria naming every failing field, and stores nothing', async () => {
      const before = await service.query<{ n: number }>(`SELECT count(*)::int AS n FROM recalls`);
      const answer = await issue({
        models: ['X'],
        serialRanges: [{ from: '20', to: '10' }],
        manufacturedBetween: { from: '2026-02-31' },
      });
      expect(answer.status).toBe(400);
      const fields = (answer.body['errors'] as { field: string }[]).map((error) => error.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'criteria',
          'criteria.serialRanges[0]',
          'criteria.manufacturedBetween.from',
        ]),
      );
      expect(await service.query(`SELECT count(*)::int AS n FROM recalls`)).toEqual(before);
    });

    it('answers a retry with the same Idempotency-Key with the first recall', async () => {
      const key = randomUUID();
      const body = {
        title: 'T',
        reason: 'R',
        class: 'III',
        criteria: { deviceIdentifiers: [freshGtin()] },
      };
      const first = await service.call('POST', '/v1/recalls', body, { idempotencyKey: key });
      const second = await service.call('POST', '/v1/recalls', body, { idempotencyKey: key });
      expect(first.status).toBe(201);
      expect(second.body['recallId']).toBe(first.body['recallId']);
    });
  });

  describe('every criterion kind', () => {
    const gtin = freshGtin();
    const box = freshGtin();
    const unknown = freshGtin();
    const ref = `REF-${randomInt(10 ** 9)}`;
    const model = `Model ${randomInt(10 ** 9)}`;
    const maker = `Maker ${randomInt(10 ** 9)}`;
    const device = deviceRecord([gtin, box], { catalogNumber: ref, model, manufacturer: maker });
    const implants = [
      /* 0 */ implantRecorded({
        deviceIdentifier: box,
        lotNumber: 'LA',
        serialNumber: '0150',
        expirationDate: '2027-06-30',
      }),
      /* 1 */ implantRecorded({
        deviceIdentifier: gtin,
        lotNumber: 'LB',
        serialNumber: 'A99',
        expirationDate: '2028-01-31',
      }),
      /* 2 */ implantRecorded({ deviceIdentifier: gtin, serialNumber: 'A100' }),
      /* 3 */ implantRecorded({ deviceIdentifier: unknown, lotNumber: 'LA', serialNumber: '0150' }),
    ];

    beforeAll(async () => {
      await feed(registered(device), ...implants.map(recorded));
    });

    it.each<[string, () => RecallCriteriaValue, Record<number, string>]>([
      [
        'any identifier of the device, whatever level was scanned',
        () => ({ deviceIdentifiers: [gtin] }),
        // An identifier no record names may be a packaging level of the device: possible.
        { 0: 'matched', 1: 'matched', 2: 'matched', 3: 'possible' },
      ],
      [
        'a catalogue number, in any case and spacing',
        () => ({ catalogNumbers: [` ${ref.toLowerCase()}  `.trim()] }),
        { 0: 'matched', 1: 'matched', 2: 'matched', 3: 'possible' },
      ],
      [
        'a manufacturer with models',
        () => ({ manufacturer: maker.toUpperCase(), models: [model] }),
        { 0: 'matched', 1: 'matched', 2: 'matched', 3: 'possible' },
      ],
      [
        'a lot list (possible where no lot was captured)',
        () => ({ deviceIdentifiers: [gtin], lotNumbers: ['LA'] }),
        { 0: 'matched', 2: 'possible', 3: 'possible' },
      ],
      [
        'a numeric serial range (leading zeros do not count)',
        () => ({ deviceIdentifiers: [gtin, unknown], serialRanges: [{ from: '100', to: '199' }] }),
        { 0: 'matched', 3: 'matched' },
      ],
      [
        'a text serial range, length then text',
        () => ({ deviceIdentifiers: [gtin], serialRanges: [{ from: 'A50', to: 'A99' }] }),
        { 1: 'matched' },
      ],
      [
        'a serial list or ranges',
        () => ({
          deviceIdentifiers: [gtin],
          serialNumbers: ['A100'],
          serialRanges: [{ from: 'A50', to: 'A99' }],
        }),
        { 1: 'matched', 2: 'matched' },
      ],
      [
        'an expiry window (possible where no expiry was captured)',
        () => ({
          deviceIdentifiers: [gtin],
          expiresBetween: { from: '2027-01-01', to: '2027-12-31' },
        }),
        { 0: 'matched', 2: 'possible', 3: 'possible' },
      ],
      [
        'a manufacture window the label never carries: possible, never dropped',
        () => ({ deviceIdentifiers: [gtin], manufacturedBetween: { to: '2026-01-01' } }),
        { 0: 'possible', 1: 'possible', 2: 'possible', 3: 'possible' },
      ],
      [
        'an identifier no device record names yet',
        () => ({ deviceIdentifiers: [unknown] }),
        { 3: 'matched' },
      ],
    ])('matches by %s', async (_kind, criteria, expected) => {
      const answer = await issue(criteria());
      expect(answer.status).toBe(201);
      expect(await liveMatches(answer.body['recallId'] as string, implants)).toEqual(expected);
    });
  });

  describe("scope from the manufacturer's list", () => {
    it('widens the criteria from the lots and UDIs of a CSV, reporting unreadable rows by line', async () => {
      const gtin = freshGtin();
      const implants = ['S1', 'S2', 'S3', 'S4'].map((lotNumber) =>
        implantRecorded({ deviceIdentifier: gtin, lotNumber }),
      );
      await feed(registered(deviceRecord([gtin])), ...implants.map(recorded));
      const recallId = (await issue({ deviceIdentifiers: [gtin], lotNumbers: ['S1'] })).body[
        'recallId'
      ] as string;
      const list = [
        'Lot,UDI,Note',
        'S2,,first',
        `,(01)${gtin}(10)S3,"second, quoted"`,
        ',not a barcode,bad',
        ',,empty',
      ].join('\r\n');

      const answer = await service.call(
        'POST',
        `/v1/recalls/${recallId}/scope?lot=Lot&udi=UDI`,
        list,
        {
          contentType: 'text/csv',
        },
      );

      expect(answer).toMatchObject({
        status: 200,
        body: {
          criteria: { deviceIdentifiers: [gtin], lotNumbers: ['S1', 'S2', 'S3'] },
          changes: { found: 2, withdrawn: 0 },
          scope: { rows: 4, accepted: { deviceIdentifiers: 1, lotNumbers: 2, serialNumbers: 0 } },
        },
      });
      expect((answer.body['scope']['rejected'] as { line: number }[]).map((r) => r.line)).toEqual([
        4, 5,
      ]);
      expect(await liveMatches(recallId, implants)).toEqual({
        0: 'matched',
        1: 'matched',
        2: 'matched',
      });

      const set = await service.call(
        'POST',
        `/v1/recalls/${recallId}/scope?lot=Lot&mode=set`,
        'Lot\nS4\n',
        {
          contentType: 'text/csv',
        },
      );
      expect(set).toMatchObject({ status: 200, body: { changes: { found: 1, withdrawn: 3 } } });
      expect(await liveMatches(recallId, implants)).toEqual({ 3: 'matched' });
    });

    it('refuses a list without the named column or not sent as CSV, changing nothing', async () => {
      const gtin = freshGtin();
      const recallId = (await issue({ deviceIdentifiers: [gtin], lotNumbers: ['S1'] })).body[
        'recallId'
      ] as string;
      const missing = await service.call(
        'POST',
        `/v1/recalls/${recallId}/scope?lot=Batch`,
        'Lot\nS2\n',
        {
          contentType: 'text/csv',
        },
      );
      expect(missing).toMatchObject({ status: 400, body: { errors: [{ field: 'lot' }] } });
      const json = await service.call('POST', `/v1/recalls/${recallId}/scope?lot=Lot`, {
        lot: 'S2',
      });
      expect(json.status).toBe(415);
      const recall = await service.call('GET', `/v1/recalls/${recallId}`);
      expect(recall.body['criteria']).toEqual({ deviceIdentifiers: [gtin], lotNumbers: ['S1'] });
    });

    it('dry-runs a list of UDIs alone, storing nothing', async () => {
      const ods = freshOds();
      const gtin = freshGtin();
      const implants = ['U1', 'U2'].map((serialNumber) =>
        implantRecorded({ deviceIdentifier: gtin, serialNumber }, { hospitalOds: ods }),
      );
      await feed(registered(deviceRecord([gtin])), ...implants.map(recorded));
      const answer = await service.call(
        'POST',
        '/v1/recall-queries/scope?udi=UDI',
        `UDI\n(01)${gtin}(21)U1\n`,
        { contentType: 'text/csv' },
      );
      expect(answer).toMatchObject({
        status: 200,
        body: { criteria: { deviceIdentifiers: [gtin], serialNumbers: ['U1'] } },
      });
      expect(
        (answer.body['byHospital'] as { ods: string }[]).find((row) => row.ods === ods),
      ).toEqual({
        ods,
        matched: { implants: 1, patients: 1 },
        possible: { implants: 0, patients: 0 },
      });
    });
  });

  describe('changes after the recall', () => {
    it('matches an implant recorded after the recall on arrival, and a device record arriving late', async () => {
      const gtin = freshGtin();
      const device = deviceRecord([gtin]);
      const recall = await issue({ catalogNumbers: [device.catalogNumber] });
      const recallId = recall.body['recallId'] as string;
      const late = implantRecorded({ deviceIdentifier: gtin });
      await feed(recorded(late));
      // No device record yet: the catalogue number is unknown, so only possible.
      expect(await liveMatches(recallId, [late])).toEqual({ 0: 'possible' });
      await feed(registered(device));
      expect(await liveMatches(recallId, [late])).toEqual({ 0: 'matched' });
      expect((await eventsFor(recallId, [late])).map((e) => [e.type, e.payload['match']])).toEqual([
        ['recall.match.found.v1', 'possible'],
        ['recall.match.found.v1', 'matched'],
      ]);
    });

    it("matches a run of one device's records once, against the last: nothing withdrawn and found again", async () => {
      const gtin = freshGtin();
      const device = deviceRecord([gtin]);
      await feed(registered(device));
      const recall = await issue({ catalogNumbers: [device.catalogNumber] });
      const recallId = recall.body['recallId'] as string;
      const implant = implantRecorded({ deviceIdentifier: gtin });
      await feed(recorded(implant));
      expect(await liveMatches(recallId, [implant])).toEqual({ 0: 'matched' });

      // One key, committed together: one run. Alone, the first would withdraw the match and
      // the second find it again, two notices to the hospital for no change.
      const updated = (revision: number, catalogNumber: string): UpstreamEvent => [
        EVENTS.deviceUpdatedV1,
        { ...device, revision, catalogNumber },
      ];
      await feed(updated(2, 'REF-NOT-RECALLED'), updated(3, device.catalogNumber));

      expect(await liveMatches(recallId, [implant])).toEqual({ 0: 'matched' });
      const events = await eventsFor(recallId, [implant]);
      expect(events.map((e) => [e.type, e.payload['match']])).toEqual([
        ['recall.match.found.v1', 'matched'],
      ]);
      const kept = await service.query<{ revision: number }>(
        `SELECT revision FROM catalogue_devices WHERE device_id = $1`,
        [device.deviceId],
      );
      expect(kept).toEqual([{ revision: 3 }]);
    });

    it('withdraws a possible match when the device record shows the implant is not covered', async () => {
      const gtin = freshGtin();
      const recall = await issue({ catalogNumbers: ['REF-NOT-THIS-ONE'] });
      const recallId = recall.body['recallId'] as string;
      const implant = implantRecorded({ deviceIdentifier: gtin });
      await feed(recorded(implant));
      expect(await liveMatches(recallId, [implant])).toEqual({ 0: 'possible' });
      await feed(registered(deviceRecord([gtin])));
      expect(await liveMatches(recallId, [implant])).toEqual({});
      const events = await eventsFor(recallId, [implant]);
      expect(events.map((e) => [e.type, e.payload['reason']])).toEqual([
        ['recall.match.found.v1', undefined],
        ['recall.match.withdrawn.v1', 'device-record-changed'],
      ]);
    });

    it('withdraws the match of an explanted implant and of one entered in error, with the reason', async () => {
      const gtin = freshGtin();
      const [explanted, wrong, kept] = [1, 2, 3].map(() =>
        implantRecorded({ deviceIdentifier: gtin }),
      );
      await feed(registered(deviceRecord([gtin])), ...[explanted!, wrong!, kept!].map(recorded));
      const recallId = (await issue({ deviceIdentifiers: [gtin] })).body['recallId'] as string;
      await feed(
        [
          EVENTS.implantExplantedV1,
          {
            implantId: explanted!.implantId,
            hospitalOds: explanted!.hospitalOds,
            explantedAt: '2026-12-01T10:00:00.000Z',
            recordedBy: 'surgeon',
          },
        ],
        [
          EVENTS.implantEnteredInErrorV1,
          {
            implantId: wrong!.implantId,
            hospitalOds: wrong!.hospitalOds,
            reason: 'wrong patient',
            correctedAt: '2026-12-01T10:00:00.000Z',
            recordedBy: 'nurse',
          },
        ],
      );
      expect(await liveMatches(recallId, [explanted!, wrong!, kept!])).toEqual({ 2: 'matched' });
      const withdrawn = (await eventsFor(recallId, [explanted!, wrong!]))
        .filter((e) => e.type === 'recall.match.withdrawn.v1')
        .map((e) => [e.payload['implantId'], e.payload['reason']]);
      expect(withdrawn.sort()).toEqual(
        [
          [explanted!.implantId, 'explanted'],
          [wrong!.implantId, 'entered-in-error'],
        ].sort(),
      );
    });

    it('keeps an implant whose explant arrived before its record out of every recall', async () => {
      const gtin = freshGtin();
      const implant = implantRecorded({ deviceIdentifier: gtin });
      const recallId = (await issue({ deviceIdentifiers: [gtin] })).body['recallId'] as string;
      await feed([
        EVENTS.implantExplantedV1,
        {
          implantId: implant.implantId,
          hospitalOds: implant.hospitalOds,
          explantedAt: '2026-12-01T10:00:00.000Z',
          recordedBy: 'surgeon',
        },
      ]);
      await feed(recorded(implant));
      expect(await liveMatches(recallId, [implant])).toEqual({});
      expect(await eventsFor(recallId, [implant])).toEqual([]);
    });

    it('publishes only the delta when criteria are widened and narrowed', async () => {
      const gtin = freshGtin();
      const lots = ['W1', 'W2', 'W3'];
      const implants = lots.map((lotNumber) =>
        implantRecorded({ deviceIdentifier: gtin, lotNumber }),
      );
      await feed(registered(deviceRecord([gtin])), ...implants.map(recorded));
      const recallId = (await issue({ deviceIdentifiers: [gtin], lotNumbers: ['W1'] })).body[
        'recallId'
      ] as string;

      const widened = await service.call('PATCH', `/v1/recalls/${recallId}`, {
        criteria: { deviceIdentifiers: [gtin], lotNumbers: ['W1', 'W2'] },
      });
      expect(widened).toMatchObject({ status: 200, body: { changes: { found: 1, withdrawn: 0 } } });
      const narrowed = await service.call('PATCH', `/v1/recalls/${recallId}`, {
        criteria: { deviceIdentifiers: [gtin], lotNumbers: ['W2'] },
        title: 'Liner wear (lot W2)',
      });
      expect(narrowed).toMatchObject({
        status: 200,
        body: { title: 'Liner wear (lot W2)', changes: { found: 0, withdrawn: 1 } },
      });
      const unchanged = await service.call('PATCH', `/v1/recalls/${recallId}`, { reason: 'Wear' });
      expect(unchanged.body['changes']).toEqual({ found: 0, withdrawn: 0 });

      expect(
        (await eventsFor(recallId, implants)).map((e) => [
          e.type,
          implants.findIndex((implant) => implant.implantId === e.payload['implantId']),
          e.payload['reason'],
        ]),
      ).toEqual([
        ['recall.match.found.v1', 0, undefined],
        ['recall.match.found.v1', 1, undefined],
        ['recall.match.withdrawn.v1', 0, 'criteria-narrowed'],
      ]);
      const updates = await service.query<{ payload: string }>(
        `SELECT payload FROM outbox WHERE event_type = 'recall.updated.v1' AND message_key = $1 ORDER BY id`,
        [recallId],
      );
      const times = updates.map((row) => JSON.parse(row.payload).updatedAt as string);
      expect(times).toHaveLength(3);
      expect([...times].sort()).toEqual(times);
      expect(new Set(times).size).toBe(3);
    });

    it('withdraws every live match when the recall is closed, and refuses to change it after', async () => {
      const gtin = freshGtin();
      const implant = implantRecorded({ deviceIdentifier: gtin });
      await feed(registered(deviceRecord([gtin])), recorded(implant));
      const recallId = (await issue({ deviceIdentifiers: [gtin] })).body['recallId'] as string;
      const closed = await service.call('POST', `/v1/recalls/${recallId}/close`, { note: 'done' });
      expect(closed).toMatchObject({
        status: 200,
        body: { status: 'closed', matches: { matched: 0, possible: 0 } },
      });
      expect(
        (await eventsFor(recallId, [implant])).map((e) => [e.type, e.payload['reason']]),
      ).toEqual([
        ['recall.match.found.v1', undefined],
        ['recall.match.withdrawn.v1', 'recall-closed'],
      ]);
      expect(
        await service.query(
          `SELECT event_type FROM outbox WHERE message_key = $1 AND event_type = 'recall.closed.v1'`,
          [recallId],
        ),
      ).toHaveLength(1);
      const patched = await service.call('PATCH', `/v1/recalls/${recallId}`, { title: 'again' });
      expect(patched.status).toBe(409);
      const late = implantRecorded({ deviceIdentifier: gtin });
      await feed(recorded(late));
      expect(await liveMatches(recallId, [late])).toEqual({});
    });

    it('matches a run of implant records at once: each covered implant found once, a second record of one ignored', async () => {
      const gtin = freshGtin();
      const other = freshGtin();
      await feed(registered(deviceRecord([gtin])), registered(deviceRecord([other])));
      const recallId = (await issue({ deviceIdentifiers: [gtin] })).body['recallId'] as string;
      const first = implantRecorded({ deviceIdentifier: gtin, lotNumber: 'RUN-1' });
      const second = implantRecorded({ deviceIdentifier: gtin, lotNumber: 'RUN-2' });
      const notCovered = implantRecorded({ deviceIdentifier: other });
      // The same implant recorded again under a new event id, at another hospital: the first
      // record stands, as it would had the two arrived in separate runs.
      const again = { ...first, hospitalOds: freshOds() };
      await feed(recorded(first), recorded(second), recorded(notCovered), [
        EVENTS.implantRecordedV1,
        again,
        { eventId: randomUUID() },
      ]);

      const implants = [first, second, notCovered];
      expect(await liveMatches(recallId, implants)).toEqual({ 0: 'matched', 1: 'matched' });
      const found = await eventsFor(recallId, implants);
      expect(found.map((e) => [e.payload['implantId'], e.payload['hospitalOds']]).sort()).toEqual(
        [
          [first.implantId, first.hospitalOds],
          [second.implantId, second.hospitalOds],
        ].sort(),
      );
      const projected = await service.query<{ hospital_ods: string; lot_number: string }>(
        `SELECT hospital_ods, lot_number FROM implants WHERE implant_id = $1`,
        [first.implantId],
      );
      expect(projected).toEqual([{ hospital_ods: first.hospitalOds, lot_number: 'RUN-1' }]);
    });

    it('applies runs of records sharing devices in opposite orders side by side without a deadlock', async () => {
      const app = service.app!;
      const consumer = app.get(ImplantProjectionConsumer);
      const dataSource = app.get(DataSource);
      // As two partitions' runs reach the handler, each in the inbox's transaction.
      const apply = (records: ImplantRecordedV1[]) =>
        dataSource.transaction((tx) =>
          consumer.onRecorded(records, new InboxBatchContext([[], tx])),
        );
      const refused: string[] = [];
      const applied: string[] = [];
      for (let round = 0; round < 20; round += 1) {
        const gtins = [freshGtin(), freshGtin(), freshGtin()];
        const forward = gtins.map((gtin) => implantRecorded({ deviceIdentifier: gtin }));
        const backward = [...gtins]
          .reverse()
          .map((gtin) => implantRecorded({ deviceIdentifier: gtin }));
        const results = await Promise.allSettled([apply(forward), apply(backward)]);
        for (const result of results) {
          if (result.status === 'rejected') refused.push(String(result.reason));
        }
        applied.push(...[...forward, ...backward].map((implant) => implant.implantId));
      }
      expect(refused).toEqual([]);
      const rows = await service.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM implants WHERE implant_id = ANY($1)`,
        [applied],
      );
      expect(rows).toEqual([{ n: 120 }]);
    });

    it('gives a redelivered implant event no second effect', async () => {
      const gtin = freshGtin();
      await feed(registered(deviceRecord([gtin])));
      const recallId = (await issue({ deviceIdentifiers: [gtin] })).body['recallId'] as string;
      const implant = implantRecorded({ deviceIdentifier: gtin });
      const [eventId] = await feed(recorded(implant));
      await feed([EVENTS.implantRecordedV1, implant, { eventId: randomUUID() }]);
      await upstream.redeliver(eventId!);
      await service.untilCaughtUp();
      const inbox = await service.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`,
        [eventId],
      );
      expect(inbox[0]!.n).toBe(1);
      expect((await eventsFor(recallId, [implant])).map((e) => e.type)).toEqual([
        'recall.match.found.v1',
      ]);
    });
  });

  describe('after a start', () => {
    it('says the dry run may be short while the projection is catching up, then that it is not', async () => {
      const gtin = freshGtin();
      await upstream.publish(recorded(implantRecorded({ deviceIdentifier: gtin })));
      // Holding the matching lock keeps every implant and device fact from being applied, so the
      // new instance cannot catch up until the test has asked.
      const holder = service.app!.get(DataSource).createQueryRunner();
      await holder.startTransaction();
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        'recall-matching:matching',
      ]);
      const restarted = new Service();
      try {
        await restarted.start();
        const criteria = { deviceIdentifiers: [gtin] };
        const first = await restarted.call('POST', '/v1/recall-queries', { criteria });
        expect(first.body['projection']).toMatchObject({ caughtUp: false });
        expect(first.body['projection']['doubts']).toContainEqual(
          expect.stringMatching(
            /^the implant projection is catching up with implant-events\.implants\.v1/,
          ),
        );
        await holder.rollbackTransaction();
        await waitFor(
          async () =>
            (await restarted.call('POST', '/v1/recall-queries', { criteria })).body['projection'][
              'caughtUp'
            ] === true,
          // The facts refused while the lock was held are retried on the consumer's backoff.
          { timeoutMs: 150_000, description: 'the new instance to catch up' },
        );
        const caughtUp = await restarted.call('POST', '/v1/recall-queries', { criteria });
        expect(caughtUp.body).toMatchObject({
          matched: { implants: 1 },
          projection: { caughtUp: true, doubts: [] },
        });
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
        await restarted.drop();
      }
    });
  });
});
