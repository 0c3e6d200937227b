import { randomUUID } from 'node:crypto';

import { deadLetterTopicOf, EVENTS, MATCHES_TOPIC } from '@implant-trace/contracts';
import { runAuthorisationMatrix } from '@implant-trace/platform-auth';
import { CE_HEADERS, KafkaConnection, readTopic } from '@implant-trace/platform-messaging';
import { testInfrastructure, waitFor } from '@implant-trace/platform-testing';

import {
  freshOds,
  type JsonBody,
  matchFound,
  Receiver,
  Service,
  token,
  Upstream,
} from '../test-support/notifications.test-bed';

describe('who may call what, and what one hospital can see of another', () => {
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

  it('lets only hospital systems call every notifications route', async () => {
    const hospitalOnly = { roles: ['hospital-system'] } as const;
    const result = await runAuthorisationMatrix({
      app: service.app!,
      baseUrl: service.baseUrl,
      token: (role, ods) => token(role, ods),
      ownOds: 'RXH01',
      otherOds: 'RAJ01',
      params: { id: randomUUID(), recallId: randomUUID() },
      bodies: {
        'POST /v1/subscriptions': {
          url: 'http://127.0.0.1:9/hooks',
          eventTypes: ['recall.issued'],
        },
        'POST /v1/recalls/:recallId/acknowledgements': { stage: 'received' },
        'POST /v1/deliveries/replay': { failedSince: '2026-01-01T00:00:00Z' },
      },
      expectations: {
        'GET /health': { public: true },
        'GET /metrics': { public: true },
        'POST /v1/subscriptions': hospitalOnly,
        'GET /v1/subscriptions': hospitalOnly,
        'DELETE /v1/subscriptions/:id': hospitalOnly,
        'POST /v1/subscriptions/:id/rotate-secret': hospitalOnly,
        'GET /v1/deliveries': hospitalOnly,
        'POST /v1/deliveries/replay': hospitalOnly,
        'GET /v1/deliveries/:id': hospitalOnly,
        'POST /v1/deliveries/:id/replay': hospitalOnly,
        'GET /v1/events': hospitalOnly,
        'POST /v1/recalls/:recallId/acknowledgements': hospitalOnly,
        'GET /v1/recalls/:recallId/acknowledgements': hospitalOnly,
      },
    });
    expect(result).toMatchObject({ unexpectedRoutes: [], missingRoutes: [], mismatches: [] });
    expect(result.calls).toBe(13 * 9);
  });

  it('shows a hospital none of another’s subscriptions, deliveries, attempts, events or acknowledgements', async () => {
    const ods = freshOds();
    const other = freshOds();
    const receiver = new Receiver();
    await receiver.start();
    const { id: subscriptionId, secret } = await service.subscribe(ods, receiver.url, [
      'recall.match.found',
    ]);
    receiver.secrets = [secret];
    const recallId = randomUUID();
    const [eventId] = await upstream.publish([
      EVENTS.recallMatchFoundV1,
      matchFound(ods, { recallId }),
    ]);
    const delivery = await waitFor(
      async () => {
        const listed = await service.call('GET', '/v1/deliveries', { ods });
        const found = (listed.body['items'] as JsonBody[])[0];
        return found?.['status'] === 'delivered' ? found : undefined;
      },
      { description: 'the delivery' },
    );
    expect(delivery['eventId']).toBe(eventId);
    await service.call('POST', `/v1/recalls/${recallId}/acknowledgements`, {
      ods,
      body: { stage: 'received' },
    });

    const as = (method: string, path: string, body?: JsonBody) =>
      service.call(method, path, { ods: other, ...(body === undefined ? {} : { body }) });
    expect((await as('GET', '/v1/subscriptions')).body['items']).toEqual([]);
    expect((await as('GET', '/v1/deliveries')).body['items']).toEqual([]);
    expect(
      (await as('GET', `/v1/deliveries?subscriptionId=${subscriptionId}`)).body['items'],
    ).toEqual([]);
    expect((await as('GET', `/v1/deliveries/${delivery['id']}`)).status).toBe(404);
    expect((await as('POST', `/v1/deliveries/${delivery['id']}/replay`)).status).toBe(404);
    expect((await as('GET', '/v1/events')).body['items']).toEqual([]);
    expect((await as('GET', `/v1/recalls/${recallId}/acknowledgements`)).status).toBe(404);
    expect((await as('POST', `/v1/subscriptions/${subscriptionId}/rotate-secret`, {})).status).toBe(
      404,
    );
    expect((await as('DELETE', `/v1/subscriptions/${subscriptionId}`)).status).toBe(404);
    expect(
      (
        await as('POST', '/v1/deliveries/replay', {
          failedSince: '2020-01-01T00:00:00Z',
          subscriptionId,
        })
      ).body,
    ).toEqual({ replayed: 0 });
    // The owner still has everything.
    expect(
      (await service.call('GET', `/v1/deliveries/${delivery['id']}`, { ods })).body,
    ).toMatchObject({
      id: delivery['id'],
      attempts: [{ statusCode: 204 }],
    });
    await receiver.stop();
  });

  describe('bad input on the deliveries routes', () => {
    it('names the failing query field and answers 400', async () => {
      const ods = freshOds();
      for (const [query, field] of [
        ['subscriptionId=nope', 'subscriptionId'],
        ['status=lost', 'status'],
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['cursor=nope', 'cursor'],
        ['extra=1', 'extra'],
      ] as const) {
        const refused = await service.call('GET', `/v1/deliveries?${query}`, { ods });
        expect(refused).toMatchObject({ status: 400, body: { errors: [{ field }] } });
      }
      expect((await service.call('GET', '/v1/deliveries/nope', { ods })).status).toBe(400);
      expect((await service.call('POST', '/v1/deliveries/nope/replay', { ods })).status).toBe(400);
    });

    it('names every failing field of a replay of all failed since T', async () => {
      const ods = freshOds();
      const refused = await service.call('POST', '/v1/deliveries/replay', {
        ods,
        body: { failedSince: 'yesterday', subscriptionId: 'nope' },
      });
      expect(refused.status).toBe(400);
      expect(new Set(refused.body['errors'].map((e: JsonBody) => e['field']))).toEqual(
        new Set(['failedSince', 'subscriptionId']),
      );
      const missing = await service.call('POST', '/v1/deliveries/replay', { ods, body: {} });
      expect(missing).toMatchObject({ status: 400, body: { errors: [{ field: 'failedSince' }] } });
    });

    it('answers 404 for a delivery that does not exist and 409 to a replay of one still being attempted', async () => {
      const ods = freshOds();
      expect((await service.call('GET', `/v1/deliveries/${randomUUID()}`, { ods })).status).toBe(
        404,
      );
      const receiver = new Receiver();
      await receiver.start();
      receiver.secrets = [
        (await service.subscribe(ods, receiver.url, ['recall.match.found'])).secret,
      ];
      // Every attempt hangs until the timeout, so the delivery stays pending for many seconds.
      receiver.answer = () => ({ hang: true });
      await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
      const pending = await waitFor(async () => {
        const listed = await service.call('GET', '/v1/deliveries?status=pending', { ods });
        return (listed.body['items'] as JsonBody[])[0];
      });
      const replayed = await service.call('POST', `/v1/deliveries/${pending['id']}/replay`, {
        ods,
      });
      expect(replayed).toMatchObject({
        status: 409,
        body: { detail: 'The delivery is still being attempted' },
      });
      await receiver.stop();
    });
  });

  it('sends a malformed match event to the dead-letter topic with the reason and goes on', async () => {
    const ods = freshOds();
    const kafka = new KafkaConnection({
      clientId: 'it-notifications-malformed',
      brokers: testInfrastructure().kafkaBrokers,
    });
    const producer = kafka.idempotentProducer();
    await producer.connect();
    const malformed = { ...matchFound(ods), hospitalOds: 'not an ods code' };
    const malformedId = randomUUID();
    try {
      await producer.send({
        topic: MATCHES_TOPIC.name,
        acks: -1,
        messages: [
          {
            key: ods,
            value: JSON.stringify(malformed),
            headers: {
              [CE_HEADERS.id]: malformedId,
              [CE_HEADERS.type]: EVENTS.recallMatchFoundV1.type,
              [CE_HEADERS.source]: 'it-upstream',
              [CE_HEADERS.time]: new Date().toISOString(),
              [CE_HEADERS.specversion]: '1.0',
              [CE_HEADERS.subject]: ods,
            },
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const [next] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    const letters = await readTopic(kafka, deadLetterTopicOf(MATCHES_TOPIC.name), {
      until: (read) => read.some((m) => m.headers[CE_HEADERS.id] === malformedId),
    });
    const letter = letters.find((m) => m.headers[CE_HEADERS.id] === malformedId);
    expect(letter?.headers['dlq_reason']).toMatch(/hospitalOds/);
    const events = await waitFor(async () => {
      const page = await service.call('GET', '/v1/events', { ods });
      return page.body['items'].length === 1 ? page.body['items'] : undefined;
    });
    expect(events.map((e: JsonBody) => e['id'])).toEqual([next]);
  });
});
