import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

import { MATCHES_TOPIC } from '@implant-trace/contracts';
import { testNhsNumber } from '@implant-trace/identifiers';
import { mintDevelopmentToken } from '@implant-trace/platform-auth';

import {
  dropTestSchema,
  freshGtin,
  freshOds,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';

import {
  eventsOn,
  RecallMatchingClient,
  topicEnds,
  type JsonBody,
} from './support/recall-matching-client';
import type { RunningService } from './support/service-process';
import { startService } from './support/service-process';

describe('recall-matching, end to end: implants at several hospitals, a dry run, a recall', () => {
  jest.setTimeout(120_000);
  const schemas = {
    registry: uniqueName('e2e_rm_device_registry'),
    implantEvents: uniqueName('e2e_rm_implant_events'),
    recallMatching: uniqueName('e2e_rm_recall_matching'),
  };
  const jwtSecret = randomBytes(32).toString('hex');
  let registry: RunningService;
  let implantEvents: RunningService;
  let recallMatching: RunningService;
  let recalls: RecallMatchingClient;
  const [odsA, odsB, odsC] = [freshOds(), freshOds(), freshOds()];
  const gtin = freshGtin();
  const box = freshGtin();
  let patientSeed = randomInt(0, 800_000);
  const implantIds = new Map<string, string>();
  let recallId = '';
  /** Where this run's match events start on the shared topic. */
  let matchesFrom: Map<number, string>;

  beforeAll(async () => {
    [registry, implantEvents, recallMatching] = await Promise.all([
      startService('device-registry', { port: 3101, schema: schemas.registry, jwtSecret }),
      startService('implant-events', { port: 3102, schema: schemas.implantEvents, jwtSecret }),
      startService('recall-matching', { port: 3103, schema: schemas.recallMatching, jwtSecret }),
    ]);
    recalls = new RecallMatchingClient(recallMatching, () => token('regulator'));
  });

  afterAll(async () => {
    await Promise.all([registry?.stop(), implantEvents?.stop(), recallMatching?.stop()]);
    await Promise.all(Object.values(schemas).map(dropTestSchema));
  });

  function token(role: 'regulator' | 'theatre' | 'hospital-system', ods?: string) {
    return mintDevelopmentToken({
      role,
      ...(ods === undefined ? {} : { ods }),
      secret: jwtSecret,
      issuer: registry.issuer,
      audience: registry.audience,
    });
  }

  async function post(service: RunningService, path: string, body: unknown, bearer: string) {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as JsonBody };
  }

  /** Records an implant at a hospital's theatre; `name` is how the test refers to it. */
  async function implant(name: string, ods: string, barcode: string): Promise<string> {
    const answer = await post(
      implantEvents,
      '/v1/implants',
      { barcode, patient: { nhsNumber: testNhsNumber(patientSeed++) } },
      await token('theatre', ods),
    );
    expect(answer.status).toBe(201);
    const implantId = answer.body['implantId'] as string;
    implantIds.set(implantId, name);
    return implantId;
  }

  const dryRun = async (criteria: JsonBody) => {
    const answer = await recalls.call('POST', '/v1/recall-queries', { criteria });
    expect(answer.status).toBe(200);
    return Object.fromEntries(
      (answer.body['byHospital'] as JsonBody[])
        .filter((row) => [odsA, odsB, odsC].includes(row['ods'] as string))
        .map((row) => [row['ods'], [row['matched']['implants'], row['possible']['implants']]]),
    );
  };

  /** This run's match events of the recall, as names: `found:a1:matched`, `withdrawn:b1:explanted`. */
  const matchEvents = (done: (names: string[]) => boolean) =>
    eventsOn(
      MATCHES_TOPIC.name,
      (_message, payload) =>
        payload['recallId'] === recallId && implantIds.has(payload['implantId'] as string),
      (selected) => done(selected.map(nameOf)),
      { from: matchesFrom },
    ).then((events) => events.map((event) => ({ key: event.key, name: nameOf(event.payload) })));
  const nameOf = (payload: JsonBody) => {
    const implant = implantIds.get(payload['implantId'] as string);
    return payload['reason'] === undefined
      ? `found:${implant}:${payload['match']}`
      : `withdrawn:${implant}:${payload['reason']}`;
  };

  it('finds every affected implant at each hospital, on the topic keyed by hospital', async () => {
    const created = await post(
      registry,
      '/v1/devices',
      {
        identifiers: [
          { deviceIdentifier: gtin, issuingAgency: 'GS1', type: 'primary' },
          { deviceIdentifier: box, issuingAgency: 'GS1', type: 'package', quantityPerPackage: 5 },
        ],
        manufacturer: 'E2E Spine Ltd',
        brand: 'E2E Rod',
        implantable: true,
        labelCarries: {
          lotNumber: true,
          serialNumber: true,
          expirationDate: true,
          manufactureDate: false,
        },
      },
      await token('regulator'),
    );
    expect(created.status).toBe(201);
    await implant('a1', odsA, `(01)${gtin}(10)LOT-A(21)A1`);
    await implant('a2', odsA, `(01)${box}(10)LOT-A(21)A2`);
    await implant('a3', odsA, `(01)${gtin}(10)LOT-Z(21)A3`);
    await implant('b1', odsB, `(01)${gtin}(10)LOT-A(21)B1`);
    await implant('b2', odsB, `(01)${gtin}(21)B2`);
    await implant('c1', odsC, `(01)${gtin}(10)LOT-Z(21)C1`);

    const criteria = { deviceIdentifiers: [gtin], lotNumbers: ['LOT-A'] };
    // implants -> implant-events' outbox -> Kafka -> recall-matching's projection.
    const expected = { [odsA]: [2, 0], [odsB]: [1, 1] };
    await waitFor(async () => isDeepStrictEqual(await dryRun(criteria), expected), {
      timeoutMs: 60_000,
      description: 'the implants to reach the projection, counted by the dry run',
    });

    matchesFrom = await topicEnds(MATCHES_TOPIC.name);
    recallId = (
      await recalls.issue({ title: 'Rod fracture', reason: 'Fatigue', class: 'I', criteria })
    )['recallId'] as string;

    const events = await matchEvents((names) => names.length >= 4);
    expect(events.map((event) => `${event.key} ${event.name}`).sort()).toEqual(
      [
        `${odsA} found:a1:matched`,
        `${odsA} found:a2:matched`,
        `${odsB} found:b1:matched`,
        `${odsB} found:b2:possible`,
      ].sort(),
    );
  });

  it('withdraws the match of an explanted implant and matches an implant recorded after the recall', async () => {
    const [explanted] = [...implantIds].find(([, name]) => name === 'a1')!;
    const answer = await post(
      implantEvents,
      `/v1/implants/${explanted}/explant`,
      { reason: 'revision surgery' },
      await token('theatre', odsA),
    );
    expect(answer.status).toBe(200);
    await implant('c2', odsC, `(01)${box}(10)LOT-A(21)C2`);

    const events = await matchEvents(
      (names) => names.includes('withdrawn:a1:explanted') && names.includes('found:c2:matched'),
    );
    expect(events.filter((event) => event.name.endsWith(':c2:matched'))).toEqual([
      { key: odsC, name: 'found:c2:matched' },
    ]);
    expect(events.filter((event) => event.name.startsWith('withdrawn'))).toEqual([
      { key: odsA, name: 'withdrawn:a1:explanted' },
    ]);
  });

  it('gives each hospital its own patients, and the regulator only the counts', async () => {
    const list = await recalls.call(
      'GET',
      `/v1/recalls/${recallId}/matches`,
      undefined,
      await token('hospital-system', odsA),
    );
    expect(list.status).toBe(200);
    expect(
      (list.body['items'] as JsonBody[]).map((item) => implantIds.get(item['implantId'])),
    ).toEqual(['a2']);
    expect(list.body['items'][0]['patient']).toEqual({ nhsNumber: expect.any(String) });
    const progress = await recalls.call('GET', `/v1/recalls/${recallId}/progress`);
    expect(progress.status).toBe(200);
    const ours = (progress.body['byHospital'] as JsonBody[]).filter((row) =>
      [odsA, odsB, odsC].includes(row['ods'] as string),
    );
    expect(
      ours.map((row) => [row['ods'], row['implants'], row['possible']['implants']]).sort(),
    ).toEqual(
      [
        [odsA, 1, 0],
        [odsB, 1, 1],
        [odsC, 1, 0],
      ].sort(),
    );
    expect(JSON.stringify(progress.body)).not.toContain('nhsNumber');
  });
});
