import { EVENTS } from '@implant-trace/contracts';
import {
  findPatientIdentifiers,
  regulatorRoutesNotRegulatorFacing,
  runAuthorisationMatrix,
} from '@implant-trace/platform-auth';

import {
  deviceRecord,
  freshOds,
  freshGtin,
  implantRecorded,
  Service,
  token,
  Upstream,
  type JsonBody,
  type UpstreamEvent,
} from '../test-support/recall-matching.test-bed';

describe('recall progress, hospital lists and follow-up against the real servers', () => {
  jest.setTimeout(180_000);
  const upstream = new Upstream();
  const service = new Service();
  const [odsA, odsB] = [freshOds(), freshOds()];
  const gtin = freshGtin();
  const patient = { nhsNumber: implantRecorded({ deviceIdentifier: gtin }).patient.nhsNumber! };
  const implants = [
    implantRecorded({ deviceIdentifier: gtin, lotNumber: 'P1' }, { hospitalOds: odsA, patient }),
    implantRecorded({ deviceIdentifier: gtin, lotNumber: 'P1' }, { hospitalOds: odsA, patient }),
    implantRecorded({ deviceIdentifier: gtin }, { hospitalOds: odsA }),
    implantRecorded({ deviceIdentifier: gtin, lotNumber: 'P1' }, { hospitalOds: odsB }),
  ];
  let recallId = '';
  const hospital = (ods: string) => token('hospital-system', ods);
  const acknowledged = (ods: string, stage: string, at: string): UpstreamEvent => [
    EVENTS.recallAcknowledgedV1,
    { recallId, hospitalOds: ods, stage, acknowledgedAt: at, acknowledgedBy: 'registry office' },
  ];

  beforeAll(async () => {
    await upstream.start();
    await service.start();
    await upstream.publish(
      [EVENTS.deviceRegisteredV1, deviceRecord([gtin])],
      ...implants.map((implant): UpstreamEvent => [EVENTS.implantRecordedV1, implant]),
    );
    await service.untilCaughtUp();
    const issued = await service.call('POST', '/v1/recalls', {
      title: 'Liner wear',
      reason: 'Early wear',
      class: 'I',
      actionsUnderwayBy: '2026-12-08',
      actionsCompleteBy: '2027-01-31',
      criteria: { deviceIdentifiers: [gtin], lotNumbers: ['P1'] },
    });
    recallId = issued.body['recallId'] as string;
  });

  afterAll(async () => {
    await service.drop();
    await upstream.stop();
  });

  const progress = async () => {
    const answer = await service.call('GET', `/v1/recalls/${recallId}/progress`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const ours = (body: JsonBody) =>
    (body['byHospital'] as { ods: string }[]).filter((row) => [odsA, odsB].includes(row.ods));

  it('shows the regulator counts per hospital, acknowledgement stages and who is overdue', async () => {
    await upstream.publish(
      acknowledged(odsA, 'action-underway', '2026-12-02T10:00:00.000Z'),
      // Older, and delivered after: it changes nothing.
      acknowledged(odsA, 'received', '2026-12-01T10:00:00.000Z'),
    );
    await service.untilCaughtUp();
    service.clock.current = new Date('2026-12-10T09:00:00Z');

    const body = await progress();

    expect(body).toMatchObject({
      recallId,
      status: 'open',
      affected: { implants: 3, patients: 2, hospitals: 2 },
    });
    // Every implant of a device no record names is a possible match (other runs' too): at least ours.
    expect(body['possible']['implants']).toBeGreaterThanOrEqual(1);
    expect(ours(body)).toEqual(
      [
        {
          ods: odsA,
          implants: 2,
          patients: 1,
          possible: { implants: 1, patients: 1 },
          notifiedAt: '2026-12-01T09:00:00.000Z',
          acknowledgement: { stage: 'action-underway', at: '2026-12-02T10:00:00.000Z' },
          overdue: false,
        },
        {
          ods: odsB,
          implants: 1,
          patients: 1,
          possible: { implants: 0, patients: 0 },
          notifiedAt: '2026-12-01T09:00:00.000Z',
          overdue: true,
        },
      ].sort((a, b) => a.ods.localeCompare(b.ods)),
    );
  });

  it("lists a hospital's own affected patients with NHS numbers, paged, and audits the read", async () => {
    const first = await service.call('GET', `/v1/recalls/${recallId}/matches?limit=2`, undefined, {
      bearer: await hospital(odsA),
    });
    expect(first.status).toBe(200);
    expect(first.body['items']).toHaveLength(2);
    const second = await service.call(
      'GET',
      `/v1/recalls/${recallId}/matches?limit=2&cursor=${first.body['nextCursor']}`,
      undefined,
      { bearer: await hospital(odsA) },
    );
    expect(second.body).toMatchObject({ nextCursor: null });
    const items = [...first.body['items'], ...second.body['items']] as JsonBody[];
    expect(items.map((item) => item['implantId']).sort()).toEqual(
      implants
        .slice(0, 3)
        .map((implant) => implant.implantId)
        .sort(),
    );
    expect(items.find((item) => item['implantId'] === implants[2]!.implantId)).toMatchObject({
      match: 'possible',
      patient: implants[2]!.patient,
    });
    const other = await service.call('GET', `/v1/recalls/${recallId}/matches`, undefined, {
      bearer: await hospital(odsB),
    });
    expect((other.body['items'] as JsonBody[]).map((item) => item['implantId'])).toEqual([
      implants[3]!.implantId,
    ]);
    const audits = await service.query<{ patient_count: number; actor_ods: string }>(
      `SELECT patient_count, actor_ods FROM audit_log WHERE action = 'recall-matches.read' ORDER BY seq`,
    );
    const patientsOn = (page: JsonBody) =>
      new Set((page['items'] as JsonBody[]).map((item) => JSON.stringify(item['patient']))).size;
    expect(audits).toEqual([
      { patient_count: patientsOn(first.body), actor_ods: odsA },
      { patient_count: patientsOn(second.body), actor_ods: odsA },
      { patient_count: 1, actor_ods: odsB },
    ]);
  });

  it('records a follow-up with its event, refuses another hospital, and shows the regulator the counts', async () => {
    const [match] = (await service.query<{ match_id: string }>(
      `SELECT match_id FROM matches WHERE recall_id = $1 AND implant_id = $2`,
      [recallId, implants[0]!.implantId],
    ))!;
    const path = `/v1/recalls/${recallId}/matches/${match!.match_id}/follow-up`;
    const refused = await service.call(
      'POST',
      path,
      { outcome: 'contacted' },
      {
        bearer: await hospital(odsB),
      },
    );
    expect(refused.status).toBe(403);
    const answer = await service.call(
      'POST',
      path,
      { outcome: 'contacted', note: 'phoned' },
      {
        bearer: await hospital(odsA),
      },
    );
    expect(answer).toMatchObject({ status: 201, body: { outcome: 'contacted' } });
    await service.call(
      'POST',
      path,
      { outcome: 'explant-planned' },
      { bearer: await hospital(odsA) },
    );
    const events = await service.query<{ message_key: string; payload: string }>(
      `SELECT message_key, payload FROM outbox WHERE event_type = 'recall.follow-up.recorded.v1'
         AND payload::jsonb ->> 'matchId' = $1 ORDER BY id`,
      [match!.match_id],
    );
    expect(events.map((row) => [row.message_key, JSON.parse(row.payload).outcome])).toEqual([
      [odsA, 'contacted'],
      [odsA, 'explant-planned'],
    ]);
    expect((await progress())['followUp']).toEqual({ 'explant-planned': 1 });
    const invalid = await service.call(
      'POST',
      path,
      { outcome: 'forgotten' },
      {
        bearer: await hospital(odsA),
      },
    );
    expect(invalid).toMatchObject({ status: 400, body: { errors: [{ field: 'outcome' }] } });
  });

  it('shows a hospital only the recalls that affect it', async () => {
    const unrelated = await service.call('POST', '/v1/recalls', {
      title: 'Other',
      reason: 'Other',
      class: 'III',
      criteria: { deviceIdentifiers: [freshGtin()], lotNumbers: ['NONE'] },
    });
    const list = await service.call('GET', '/v1/recalls', undefined, {
      bearer: await hospital(odsB),
    });
    expect((list.body['items'] as JsonBody[]).map((recall) => recall['recallId'])).toEqual([
      recallId,
    ]);
    const hidden = await service.call(
      'GET',
      `/v1/recalls/${unrelated.body['recallId']}`,
      undefined,
      {
        bearer: await hospital(odsB),
      },
    );
    expect(hidden.status).toBe(404);
    const none = await service.call('GET', '/v1/recalls', undefined, {
      bearer: await hospital(freshOds()),
    });
    expect(none).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
  });

  it('pages the recalls newest first', async () => {
    const first = await service.call('GET', '/v1/recalls?limit=1');
    const second = await service.call(
      'GET',
      `/v1/recalls?limit=1&cursor=${first.body['nextCursor']}`,
    );
    expect(first.body['items']).toHaveLength(1);
    expect(second.body['items']).toHaveLength(1);
    expect(second.body['items'][0]['recallId'] < first.body['items'][0]['recallId']).toBe(true);
    expect(first.body['nextCursor']).toBe(first.body['items'][0]['recallId']);
  });

  it('never gives a regulator a patient identifier, on any regulator route', async () => {
    expect(regulatorRoutesNotRegulatorFacing(service.app!).map((route) => route.key)).toEqual([]);
    const criteria = { deviceIdentifiers: [gtin] };
    const issued = await service.call('POST', '/v1/recalls', {
      title: 'T',
      reason: 'R',
      class: 'II',
      criteria,
    });
    const id = issued.body['recallId'] as string;
    const answers = [
      issued,
      await service.call('POST', '/v1/recall-queries', { criteria }),
      await service.call('PATCH', `/v1/recalls/${id}`, {
        criteria: { ...criteria, lotNumbers: ['P1'] },
      }),
      await service.call('GET', '/v1/recalls'),
      await service.call('GET', `/v1/recalls/${id}`),
      await service.call('GET', `/v1/recalls/${recallId}/progress`),
      await service.call('POST', `/v1/recalls/${id}/close`, {}),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([201, 200, 200, 200, 200, 200, 200]);
    for (const answer of answers) expect(findPatientIdentifiers(answer.body)).toEqual([]);
    // The data was there to leak: the hospital list of the same recall names the patients.
    const list = await service.call('GET', `/v1/recalls/${recallId}/matches`, undefined, {
      bearer: await hospital(odsA),
    });
    expect(findPatientIdentifiers(list.body)).not.toEqual([]);
  });

  it('lets regulators run queries and recalls, and only hospital systems read and follow up their patients', async () => {
    const result = await runAuthorisationMatrix({
      app: service.app!,
      baseUrl: service.baseUrl,
      token: (role, ods) => token(role, ods),
      params: { id: recallId, matchId: recallId },
      ownOds: odsA,
      otherOds: odsB,
      expectations: {
        'GET /health': { public: true },
        'GET /metrics': { public: true },
        'POST /v1/recall-queries': { roles: ['regulator'] },
        'POST /v1/recalls': { roles: ['regulator'] },
        'POST /v1/recall-queries/scope': { roles: ['regulator'] },
        'POST /v1/recalls/:id/scope': { roles: ['regulator'] },
        'GET /v1/recalls': { roles: ['regulator', 'hospital-system'] },
        'GET /v1/recalls/:id': { roles: ['regulator', 'hospital-system'] },
        'PATCH /v1/recalls/:id': { roles: ['regulator'] },
        'POST /v1/recalls/:id/close': { roles: ['regulator'] },
        'GET /v1/recalls/:id/progress': { roles: ['regulator'] },
        'GET /v1/recalls/:id/matches': { roles: ['hospital-system'] },
        'POST /v1/recalls/:id/matches/:matchId/follow-up': { roles: ['hospital-system'] },
      },
    });
    expect(result).toMatchObject({ unexpectedRoutes: [], missingRoutes: [], mismatches: [] });
    expect(result.calls).toBe(13 * 9);
  });
});
