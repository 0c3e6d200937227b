import { randomBytes, randomInt } from 'node:crypto';

import { encodeWristbandGsrn, testNhsNumber, type NhsNumber } from '@implant-trace/identifiers';
import { mintDevelopmentToken, type Role } from '@implant-trace/platform-auth';

import {
  dropTestSchema,
  freshGtin,
  freshOds,
  startOwnTestBroker,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';

import { HospitalEndpoint } from '@implant-trace/platform-testing';
import type { JsonBody } from './support/recall-matching-client';
import { callService } from './support/service-call';
import type { RunningService } from './support/service-process';
import { startService } from './support/service-process';

const DELIVERY_WAIT = { timeoutMs: 120_000, intervalMs: 250 };

/** An implant as the story names it: which hospital, which patient, how it was recorded. */
interface StoryImplant {
  name: string;
  ods: string;
  implantId: string;
  /** The NHS number the hospital will be told, when the patient has one. */
  nhsNumber?: NhsNumber;
}

/**
 * The whole platform as `npm start` runs it (each service's migration step, then its main.ts as
 * the least-privilege role), on a broker of its own, driven only over HTTP and observed only
 * through the hospitals' webhook endpoints: the story a recall tells from the device register to
 * the regulator's progress view.
 */
describe('the full story: devices, implants at three hospitals, a recall, every hospital told', () => {
  jest.setTimeout(240_000);
  const jwtSecret = randomBytes(32).toString('hex');
  const schemas = {
    'device-registry': uniqueName('e2e_story_device_registry'),
    'implant-events': uniqueName('e2e_story_implant_events'),
    'recall-matching': uniqueName('e2e_story_recall_matching'),
    notifications: uniqueName('e2e_story_notifications'),
  };
  const ports = {
    'device-registry': 3121,
    'implant-events': 3122,
    'recall-matching': 3123,
    notifications: 3124,
  };
  type ServiceName = keyof typeof schemas;
  const services = {} as Record<ServiceName, RunningService>;
  let broker: { brokers: string[]; stop(): Promise<void> };
  const previousBrokers = process.env['KAFKA_BROKERS'];
  const previousLoopback = process.env['WEBHOOK_ALLOW_LOOPBACK_URLS'];

  const hospitals = [freshOds(), freshOds(), freshOds()] as const;
  const [royal, general, county] = hospitals;
  const endpoints = new Map<string, HospitalEndpoint>(
    hospitals.map((ods) => [ods, new HospitalEndpoint()]),
  );
  const endpointOf = (ods: string) => endpoints.get(ods)!;
  const gtin = freshGtin();
  const box = freshGtin();
  const implants: StoryImplant[] = [];
  let patientSeed = randomInt(0, 800_000);
  let recallId = '';

  beforeAll(async () => {
    broker = await startOwnTestBroker();
    process.env['KAFKA_BROKERS'] = broker.brokers.join(',');
    // The hospitals' endpoints listen on loopback, which only local runs allow.
    process.env['WEBHOOK_ALLOW_LOOPBACK_URLS'] = 'true';
    const started = await Promise.allSettled(
      (Object.keys(schemas) as ServiceName[]).map(async (name) => {
        services[name] = await startService(name, {
          port: ports[name],
          schema: schemas[name],
          jwtSecret,
        });
      }),
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    for (const endpoint of endpoints.values()) await endpoint.start();
  });

  afterAll(async () => {
    if (previousBrokers === undefined) delete process.env['KAFKA_BROKERS'];
    else process.env['KAFKA_BROKERS'] = previousBrokers;
    if (previousLoopback === undefined) delete process.env['WEBHOOK_ALLOW_LOOPBACK_URLS'];
    else process.env['WEBHOOK_ALLOW_LOOPBACK_URLS'] = previousLoopback;
    await Promise.all(Object.values(services).map((service) => service.stop()));
    for (const endpoint of endpoints.values()) await endpoint.stop();
    // One at a time: dropping schemas whose grants share roles at once can deadlock.
    for (const schema of Object.values(schemas)) await dropTestSchema(schema);
    await broker?.stop();
  });

  function token(role: Role, ods?: string, sub?: string): Promise<string> {
    const { issuer, audience } = services['device-registry'];
    return mintDevelopmentToken({
      role,
      ...(ods === undefined ? {} : { ods }),
      ...(sub === undefined ? {} : { sub }),
      secret: jwtSecret,
      issuer,
      audience,
    });
  }

  async function call(
    service: ServiceName,
    method: string,
    path: string,
    bearer: string,
    body?: unknown,
  ): Promise<{ status: number; body: JsonBody }> {
    return callService(services[service].baseUrl, method, path, bearer, body);
  }

  const regulator = () => token('regulator');
  const theatre = (ods: string) => token('theatre', ods, `theatre-${ods}`);
  const hospitalSystem = (ods: string) => token('hospital-system', ods);

  /** Records an implant at a hospital's theatre and keeps it under the story's name for it. */
  async function record(
    name: string,
    ods: string,
    device: JsonBody,
    patient: 'nhs-number' | 'wristband' | 'unavailable',
  ): Promise<JsonBody> {
    const nhsNumber = testNhsNumber(patientSeed++);
    const patientBody =
      patient === 'nhs-number'
        ? { nhsNumber }
        : patient === 'wristband'
          ? { wristbandBarcode: `(8018)${encodeWristbandGsrn('5060001', nhsNumber)}` }
          : {
              nhsNumberUnavailable: {
                reason: 'unconscious emergency admission',
                localPatientId: `MRN-${name}`,
              },
            };
    const answer = await call('implant-events', 'POST', '/v1/implants', await theatre(ods), {
      ...device,
      patient: patientBody,
      procedure: { description: 'Instrumented spinal fusion' },
      laterality: 'na',
    });
    expect(answer.status).toBe(201);
    implants.push({
      name,
      ods,
      implantId: answer.body['implantId'],
      ...(patient === 'unavailable' ? {} : { nhsNumber }),
    });
    return answer.body;
  }

  const named = (implantId: string) =>
    implants.find((implant) => implant.implantId === implantId)?.name ?? `unknown ${implantId}`;
  const matchNotices = (ods: string, type = 'recall.match.found') =>
    endpointOf(ods)
      .ofType(type)
      .filter((notice) => notice['data']['recallId'] === recallId);
  /** What a hospital's endpoint has verified of this recall, as `name:match` or `name:reason`. */
  const heard = (ods: string) => ({
    found: matchNotices(ods)
      .map((notice) => `${named(notice['data']['implantId'])}:${notice['data']['match']}`)
      .sort(),
    withdrawn: matchNotices(ods, 'recall.match.withdrawn')
      .map((notice) => `${named(notice['data']['implantId'])}:${notice['data']['reason']}`)
      .sort(),
  });
  const scanVerdict = async (ods: string, barcode: string) =>
    (await call('implant-events', 'POST', '/v1/scans/check', await theatre(ods), { barcode })).body[
      'verdict'
    ];

  it('registers a device with its case-level identifier, and every theatre can resolve it', async () => {
    const created = await call('device-registry', 'POST', '/v1/devices', await regulator(), {
      identifiers: [
        { deviceIdentifier: gtin, issuingAgency: 'GS1', type: 'primary' },
        { deviceIdentifier: box, issuingAgency: 'GS1', type: 'package', quantityPerPackage: 5 },
      ],
      manufacturer: 'Story Spine Ltd',
      brand: 'Story Rod',
      model: 'R-5',
      implantable: true,
      labelCarries: {
        lotNumber: true,
        serialNumber: true,
        expirationDate: true,
        manufactureDate: false,
      },
    });
    expect(created.status).toBe(201);
    // device-registry -> its outbox -> Kafka -> implant-events' catalogue replica.
    for (const ods of hospitals) {
      await waitFor(
        async () => (await scanVerdict(ods, `(01)${box}(17)301231(10)LOT-A(21)PROBE`)) === 'OK',
        {
          timeoutMs: 60_000,
          description: `${ods}'s theatre to resolve the case-level identifier`,
        },
      );
    }
  });

  it('records implants at three hospitals by barcode, two barcodes, wristband, manual entry and with no NHS number', async () => {
    await record('r1', royal, { barcode: `(01)${gtin}(17)301231(10)LOT-A(21)R1` }, 'nhs-number');
    await record(
      'r2',
      royal,
      { barcodes: [`(01)${box}`, `(17)301231(10)LOT-A(21)R2`] },
      'wristband',
    );
    await record('r3', royal, { barcode: `(01)${gtin}(17)301231(10)LOT-Z(21)R3` }, 'nhs-number');
    const manual = await record(
      'g1',
      general,
      { manual: { deviceIdentifier: gtin, lotNumber: 'LOT-A', serialNumber: 'G1' } },
      'nhs-number',
    );
    expect(manual).toMatchObject({ entryMethod: 'manual' });
    // The label of this one never carried a lot: a possible match of a lot recall.
    const unavailable = await record(
      'g2',
      general,
      { barcode: `(01)${gtin}(21)G2` },
      'unavailable',
    );
    expect(unavailable['reviewFlags']).toEqual(expect.arrayContaining(['nhs-number-unavailable']));
    await record('c1', county, { barcode: `(01)${gtin}(17)301231(10)LOT-Z(21)C1` }, 'nhs-number');

    for (const ods of hospitals) {
      const created = await call(
        'notifications',
        'POST',
        '/v1/subscriptions',
        await hospitalSystem(ods),
        {
          url: endpointOf(ods).url,
          eventTypes: ['recall.match.found', 'recall.match.withdrawn'],
          description: `${ods}'s implant register`,
        },
      );
      expect(created.status).toBe(201);
      endpointOf(ods).secret = created.body['secret'];
    }
  });

  it('counts the reach of a recall in a dry run, storing and sending nothing', async () => {
    const criteria = { deviceIdentifiers: [gtin], lotNumbers: ['LOT-A'] };
    const expected = {
      matched: { implants: 3, patients: 3 },
      possible: { implants: 1, patients: 1 },
      byHospital: [
        { ods: general, matched: { implants: 1 }, possible: { implants: 1 } },
        { ods: royal, matched: { implants: 2 }, possible: { implants: 0 } },
      ],
    };
    let answer: JsonBody = {};
    // implant-events -> Kafka -> recall-matching's projection.
    await waitFor(
      async () => {
        answer = (
          await call('recall-matching', 'POST', '/v1/recall-queries', await regulator(), {
            criteria,
          })
        ).body;
        return answer['matched']?.['implants'] === 3 && answer['possible']?.['implants'] === 1;
      },
      { timeoutMs: 60_000, description: 'the implants to reach the projection' },
    );
    expect(answer).toMatchObject({ matched: expected.matched, possible: expected.possible });
    const rows = (answer['byHospital'] as JsonBody[]).filter((row) => row['ods'] !== county);
    expect(
      [...rows].sort((a, b) => String(a['ods']).localeCompare(String(b['ods']))),
    ).toMatchObject([...expected.byHospital].sort((a, b) => a.ods.localeCompare(b.ods)));
    const listed = await call('recall-matching', 'GET', '/v1/recalls', await regulator());
    expect(listed.status).toBe(200);
    expect(listed.body['items']).toEqual([]);
    for (const endpoint of endpoints.values()) expect(endpoint.verified).toEqual([]);
  });

  it('issues the recall: each affected hospital is told, signed, of exactly its own patients', async () => {
    const issued = await call('recall-matching', 'POST', '/v1/recalls', await regulator(), {
      title: 'Rod fracture under load',
      reason: 'Fatigue fracture of rods from lot LOT-A',
      class: 'I',
      manufacturer: 'Story Spine Ltd',
      criteria: { deviceIdentifiers: [gtin], lotNumbers: ['LOT-A'] },
    });
    expect(issued.status).toBe(201);
    recallId = issued.body['recallId'];

    await waitFor(() => heard(royal).found.length === 2 && heard(general).found.length === 2, {
      ...DELIVERY_WAIT,
      description: 'the affected hospitals to verify their matches',
    });
    expect(heard(royal)).toEqual({ found: ['r1:matched', 'r2:matched'], withdrawn: [] });
    expect(heard(general)).toEqual({ found: ['g1:matched', 'g2:possible'], withdrawn: [] });
    // Each hospital hears its own patients, named, and nobody else's.
    for (const ods of [royal, general]) {
      for (const notice of matchNotices(ods)) {
        const implant = implants.find(
          (candidate) => candidate.implantId === notice['data']['implantId'],
        );
        expect(implant?.ods).toBe(ods);
        expect(notice['data']['hospitalOds']).toBe(ods);
        expect(notice['data']['patient']).toEqual(
          implant?.nhsNumber === undefined
            ? expect.objectContaining({ nhsNumberUnavailable: expect.anything() })
            : { nhsNumber: implant.nhsNumber },
        );
        expect(notice['webhookId']).toBe(notice['id']);
      }
    }
    expect(matchNotices(county)).toEqual([]);
    for (const endpoint of endpoints.values()) expect(endpoint.refused).toBe(0);
  });

  it('answers RECALLED for the recalled lot at every hospital’s theatre', async () => {
    for (const ods of hospitals) {
      await waitFor(
        async () =>
          (await scanVerdict(ods, `(01)${gtin}(17)301231(10)LOT-A(21)SCAN-${ods}`)) === 'RECALLED',
        { timeoutMs: 60_000, description: `${ods}'s theatre to see the recall` },
      );
      expect(await scanVerdict(ods, `(01)${box}(17)301231(10)LOT-A(21)BOX-${ods}`)).toBe(
        'RECALLED',
      );
      expect(await scanVerdict(ods, `(01)${gtin}(17)301231(10)LOT-Z(21)SAFE-${ods}`)).toBe('OK');
    }
  });

  it('shows the regulator each hospital’s acknowledgement stage and follow-up outcomes, never a patient', async () => {
    for (const stage of ['received', 'action-underway', 'action-complete']) {
      const acknowledged = await call(
        'notifications',
        'POST',
        `/v1/recalls/${recallId}/acknowledgements`,
        await hospitalSystem(royal),
        { stage },
      );
      expect(acknowledged).toMatchObject({ status: 201, body: { stage } });
    }
    const backwards = await call(
      'notifications',
      'POST',
      `/v1/recalls/${recallId}/acknowledgements`,
      await hospitalSystem(royal),
      { stage: 'received' },
    );
    expect(backwards.status).toBe(409);
    const ownMatches = await call(
      'recall-matching',
      'GET',
      `/v1/recalls/${recallId}/matches`,
      await hospitalSystem(royal),
    );
    expect(ownMatches.status).toBe(200);
    expect(
      ownMatches.body['items'].map((item: JsonBody) => named(item['implantId'])).sort(),
    ).toEqual(['r1', 'r2']);
    for (const [index, item] of (ownMatches.body['items'] as JsonBody[]).entries()) {
      const followedUp = await call(
        'recall-matching',
        'POST',
        `/v1/recalls/${recallId}/matches/${item['matchId']}/follow-up`,
        await hospitalSystem(royal),
        { outcome: index === 0 ? 'contacted' : 'explant-planned' },
      );
      expect(followedUp.status).toBe(201);
    }

    let progress: JsonBody = {};
    await waitFor(
      async () => {
        progress = (
          await call(
            'recall-matching',
            'GET',
            `/v1/recalls/${recallId}/progress`,
            await regulator(),
          )
        ).body;
        const royalRow = progress['byHospital']?.find((row: JsonBody) => row['ods'] === royal);
        return royalRow?.['acknowledgement']?.['stage'] === 'action-complete';
      },
      { timeoutMs: 60_000, description: 'the acknowledgement to reach the progress view' },
    );
    expect(progress).toMatchObject({
      affected: { implants: 3, patients: 3, hospitals: 2 },
      followUp: { contacted: 1, 'explant-planned': 1 },
    });
    const general_ = progress['byHospital'].find((row: JsonBody) => row['ods'] === general);
    expect(general_).toMatchObject({ implants: 1, possible: { implants: 1 } });
    expect(general_['acknowledgement']).toBeUndefined();
    const text = JSON.stringify(progress);
    expect(text).not.toContain('nhsNumber');
    for (const implant of implants) {
      if (implant.nhsNumber !== undefined) expect(text).not.toContain(implant.nhsNumber);
    }
  });

  it('withdraws the match of an explanted implant, and tells of an implant of the lot recorded after the recall', async () => {
    const r1 = implants.find((implant) => implant.name === 'r1')!;
    const explanted = await call(
      'implant-events',
      'POST',
      `/v1/implants/${r1.implantId}/explant`,
      await theatre(royal),
      {
        reason: 'revision surgery',
      },
    );
    expect(explanted.status).toBe(200);
    const late = await record(
      'g3',
      general,
      { barcode: `(01)${gtin}(17)301231(10)LOT-A(21)G3` },
      'nhs-number',
    );
    // Recorded anyway, and flagged: a lost record is the worse harm.
    expect(late).toMatchObject({ verdict: 'RECALLED' });

    await waitFor(() => heard(royal).withdrawn.length === 1 && heard(general).found.length === 3, {
      ...DELIVERY_WAIT,
      description: 'the withdrawal and the late match to be delivered',
    });
    expect(heard(royal)).toEqual({
      found: ['r1:matched', 'r2:matched'],
      withdrawn: ['r1:explanted'],
    });
    expect(heard(general)).toEqual({
      found: ['g1:matched', 'g2:possible', 'g3:matched'],
      withdrawn: [],
    });
  });

  it('widens the recall to a second lot and tells only the newly affected', async () => {
    const widened = await call(
      'recall-matching',
      'PATCH',
      `/v1/recalls/${recallId}`,
      await regulator(),
      {
        criteria: { deviceIdentifiers: [gtin], lotNumbers: ['LOT-A', 'LOT-Z'] },
      },
    );
    expect(widened.status).toBe(200);

    await waitFor(() => heard(royal).found.length === 3 && heard(county).found.length === 1, {
      ...DELIVERY_WAIT,
      description: 'the newly affected implants to be delivered',
    });
    expect(heard(royal)).toEqual({
      found: ['r1:matched', 'r2:matched', 'r3:matched'],
      withdrawn: ['r1:explanted'],
    });
    expect(heard(county)).toEqual({ found: ['c1:matched'], withdrawn: [] });
    expect(heard(general)).toEqual({
      found: ['g1:matched', 'g2:possible', 'g3:matched'],
      withdrawn: [],
    });
    // Every webhook once: no hospital heard any event twice.
    for (const endpoint of endpoints.values()) {
      const ids = endpoint.verified.map((notice) => notice['id']);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
