import { lookup as systemLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';

import { EVENTS } from '@implant-trace/contracts';
import { waitFor } from '@implant-trace/platform-testing';

import {
  freshOds,
  type JsonBody,
  matchFound,
  Receiver,
  Service,
  TEST_RETRY_SCHEDULE,
  Upstream,
} from '../test-support/notifications.test-bed';

describe('webhook deliveries against the real PostgreSQL, Kafka and loopback receivers', () => {
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

  /** A hospital with a running receiver subscribed to match events. */
  async function hospitalWithReceiver(): Promise<{
    ods: string;
    receiver: Receiver;
    subscriptionId: string;
  }> {
    const ods = freshOds();
    const receiver = new Receiver();
    await receiver.start();
    const { id, secret } = await service.subscribe(ods, receiver.url);
    receiver.secrets = [secret];
    return { ods, receiver, subscriptionId: id };
  }

  async function deliveryOf(ods: string, eventId: string): Promise<JsonBody> {
    const listed = await service.call('GET', '/v1/deliveries', { ods });
    const found = (listed.body['items'] as JsonBody[]).find((d) => d['eventId'] === eventId);
    if (found === undefined) throw new Error(`no delivery of ${eventId}`);
    return found;
  }

  function untilStatus(ods: string, eventId: string, status: string): Promise<JsonBody> {
    return waitFor(
      async () => {
        const delivery = await deliveryOf(ods, eventId);
        return delivery['status'] === status ? delivery : undefined;
      },
      { timeoutMs: 30_000, description: `the delivery of ${eventId} to be ${status}` },
    );
  }

  it('delivers a match once, signed, with the event id as webhook-id and the hospital sequence', async () => {
    const { ods, receiver } = await hospitalWithReceiver();
    const match = matchFound(ods);
    const [eventId] = await upstream.publish([EVENTS.recallMatchFoundV1, match]);
    const delivery = await untilStatus(ods, eventId!, 'delivered');
    expect(receiver.accepted()).toHaveLength(1);
    const [webhook] = receiver.accepted();
    expect(webhook).toMatchObject({
      id: eventId,
      body: {
        id: eventId,
        type: 'recall.match.found',
        source: 'it-upstream',
        subject: ods,
        sequence: 1,
        data: { matchId: match.matchId, patient: { nhsNumber: '9434765919' } },
      },
    });
    expect(webhook!.signature).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(delivery).toMatchObject({
      sequence: 1,
      eventType: 'recall.match.found',
      attempts: [{ attempt: 1, statusCode: 204, outcome: 'delivered' }],
    });
    await receiver.stop();
  });

  it('sends one webhook when the same Kafka event arrives twice', async () => {
    const { ods, receiver } = await hospitalWithReceiver();
    const [eventId] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    await untilStatus(ods, eventId!, 'delivered');
    await upstream.republish(eventId!);
    const [second] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    // The later event arrived after the redelivery on the same partition (same key).
    await untilStatus(ods, second!, 'delivered');
    expect(receiver.accepted().map((w) => w.id)).toEqual([eventId, second]);
    const [counted] = await service.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM feed_events WHERE hospital_ods = $1`,
      [ods],
    );
    expect(counted!.n).toBe(2);
    await receiver.stop();
  });

  it('keeps trying a receiver that is down and delivers once when it is back up', async () => {
    const { ods, receiver } = await hospitalWithReceiver();
    const port = receiver.port;
    await receiver.stop();
    const [eventId] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    await waitFor(async () => (await deliveryOf(ods, eventId!))['attempts'].length >= 2, {
      description: 'two refused attempts',
    });
    const down = await deliveryOf(ods, eventId!);
    expect(down['status']).toBe('pending');
    expect(down['attempts'][0]).toMatchObject({
      outcome: 'retry',
      error: expect.stringContaining('ECONNREFUSED'),
    });
    await receiver.start(port);
    const delivered = await untilStatus(ods, eventId!, 'delivered');
    expect(receiver.accepted().map((w) => w.id)).toEqual([eventId]);
    expect(delivered['attempts'].at(-1)).toMatchObject({ statusCode: 204 });
    await receiver.stop();
  });

  it('retries after 500s and after a timeout, listing every attempt', async () => {
    const { ods, receiver } = await hospitalWithReceiver();
    receiver.answer = (_request, index) =>
      index === 0 ? { status: 500 } : index === 1 ? { hang: true } : { status: 200 };
    const [eventId] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    const delivered = await untilStatus(ods, eventId!, 'delivered');
    expect(delivered['attempts']).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 500, error: 'HTTP 500', outcome: 'retry' }),
      expect.objectContaining({
        attempt: 2,
        error: 'no answer within 2000 ms',
        outcome: 'retry',
      }),
      expect.objectContaining({ attempt: 3, statusCode: 200, outcome: 'delivered' }),
    ]);
    expect(delivered['attempts'][1].durationMs).toBeGreaterThanOrEqual(2000);
    // Every attempt carried the same webhook-id: the receiver can discard repeats.
    expect(new Set(receiver.received.map((w) => w.id))).toEqual(new Set([eventId]));
    await receiver.stop();
  });

  it('honours Retry-After on a 429', async () => {
    const { ods, receiver } = await hospitalWithReceiver();
    receiver.answer = (_request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 204 };
    const [eventId] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    const delivered = await untilStatus(ods, eventId!, 'delivered');
    const [first, second] = delivered['attempts'] as JsonBody[];
    expect(first).toMatchObject({ statusCode: 429, outcome: 'retry' });
    // The schedule's own first delay is 50 ms; the endpoint asked for 2 s.
    expect(
      Date.parse(second!['startedAt']) - Date.parse(first!['startedAt']),
    ).toBeGreaterThanOrEqual(2000);
    await receiver.stop();
  });

  it('disables the subscription on 410 and creates no further deliveries for it', async () => {
    const { ods, receiver, subscriptionId } = await hospitalWithReceiver();
    receiver.answer = () => ({ status: 410 });
    const [eventId] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    const failed = await untilStatus(ods, eventId!, 'failed');
    expect(failed).toMatchObject({
      lastError: 'the endpoint answered 410 Gone',
      attempts: [{ statusCode: 410, outcome: 'disable' }],
    });
    const listed = await service.call('GET', '/v1/subscriptions', { ods });
    expect(listed.body['items']).toEqual([
      expect.objectContaining({ id: subscriptionId, status: 'disabled' }),
    ]);
    const [later] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    await waitFor(
      async () => (await service.call('GET', '/v1/events', { ods })).body['items'].length === 2,
      { description: 'the later event to reach the feed' },
    );
    const deliveries = await service.call('GET', '/v1/deliveries', { ods });
    expect(deliveries.body['items'].map((d: JsonBody) => d['eventId'])).toEqual([eventId]);
    expect(later).toBeDefined();
    await receiver.stop();
  });

  it('marks a delivery failed when the schedule is spent, and replays it singly and "all since T"', async () => {
    const { ods, receiver, subscriptionId } = await hospitalWithReceiver();
    receiver.answer = () => ({ status: 503 });
    const before = new Date().toISOString();
    const [first, second] = await upstream.publish(
      [EVENTS.recallMatchFoundV1, matchFound(ods)],
      [EVENTS.recallMatchFoundV1, matchFound(ods)],
    );
    const failed = await untilStatus(ods, first!, 'failed');
    await untilStatus(ods, second!, 'failed');
    expect(failed['attempts']).toHaveLength(TEST_RETRY_SCHEDULE.length + 1);
    expect(failed['lastError']).toContain('HTTP 503');
    const listedFailed = await service.call(
      'GET',
      `/v1/deliveries?status=failed&subscriptionId=${subscriptionId}`,
      { ods },
    );
    expect(listedFailed.body['items']).toHaveLength(2);

    receiver.answer = () => ({ status: 204 });
    const replayed = await service.call('POST', `/v1/deliveries/${failed['id']}/replay`, { ods });
    expect(replayed).toMatchObject({ status: 200, body: { status: 'pending' } });
    const delivered = await untilStatus(ods, first!, 'delivered');
    expect(delivered['attempts']).toHaveLength(TEST_RETRY_SCHEDULE.length + 2);
    expect((await deliveryOf(ods, second!))['status']).toBe('failed');

    const again = await service.call('POST', `/v1/deliveries/${failed['id']}/replay`, {
      ods: freshOds(),
    });
    expect(again.status).toBe(404);

    const all = await service.call('POST', '/v1/deliveries/replay', {
      ods,
      body: { failedSince: before },
    });
    expect(all).toEqual({ status: 200, body: { replayed: 1 } });
    await untilStatus(ods, second!, 'delivered');
    expect(receiver.accepted().filter((w) => w.id === second)).toHaveLength(
      TEST_RETRY_SCHEDULE.length + 2,
    );
    await receiver.stop();
  });

  it('signs with the old and new secrets during a rotation’s grace, and only the new after it', async () => {
    const { ods, receiver, subscriptionId } = await hospitalWithReceiver();
    const [oldSecret] = receiver.secrets;
    const rotated = await service.call(
      'POST',
      `/v1/subscriptions/${subscriptionId}/rotate-secret`,
      {
        ods,
        body: { gracePeriodSeconds: 3600 },
      },
    );
    const newSecret = rotated.body['secret'] as string;
    receiver.secrets = [oldSecret!, newSecret];
    const [during] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    await untilStatus(ods, during!, 'delivered');
    expect(receiver.received.find((w) => w.id === during)?.verifiedBy).toEqual([
      oldSecret,
      newSecret,
    ]);

    // The grace period ends (its end moved to the past rather than waiting an hour).
    await service.query(
      `UPDATE subscriptions SET previous_secret_expires_at = now() - interval '1 second'
        WHERE subscription_id = $1`,
      [subscriptionId],
    );
    const [after] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    await untilStatus(ods, after!, 'delivered');
    expect(receiver.received.find((w) => w.id === after)?.verifiedBy).toEqual([newSecret]);
    await receiver.stop();
  });

  describe('the URL policy at send time', () => {
    let resolutions = 0;
    /** Public when the subscription is registered, loopback when the worker connects. */
    const rebinding: LookupFunction = (hostname, options, callback) => {
      if (hostname !== 'rebind.example.test') {
        return (systemLookup as LookupFunction)(hostname, options, callback);
      }
      resolutions += 1;
      const address = resolutions === 1 ? '93.184.215.14' : '127.0.0.1';
      if (options.all === true) return callback(null, [{ address, family: 4 }]);
      return callback(null, address, 4);
    };
    const strict = new Service({
      lookup: rebinding,
      urlPolicy: { allowLoopback: false, allowPrivate: false },
    });

    beforeAll(() => strict.start());
    afterAll(() => strict.drop());

    it('refuses the address a name resolves to when connecting, recording why', async () => {
      const receiver = new Receiver();
      await receiver.start();
      const ods = freshOds();
      const { secret } = await strict.subscribe(
        ods,
        `https://rebind.example.test:${receiver.port}/hooks`,
      );
      receiver.secrets = [secret];
      const [eventId] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
      const attempted = await waitFor(
        async () => {
          const listed = await strict.call('GET', '/v1/deliveries', { ods });
          const delivery = (listed.body['items'] as JsonBody[]).find(
            (d) => d['eventId'] === eventId,
          );
          return delivery !== undefined && delivery['attempts'].length > 0 ? delivery : undefined;
        },
        { description: 'an attempt to the re-pointed name' },
      );
      expect(resolutions).toBeGreaterThan(1);
      expect(attempted['attempts'][0]).toMatchObject({
        error: expect.stringContaining(
          'refused by the endpoint URL policy: 127.0.0.1 is a loopback address',
        ),
      });
      expect(receiver.received).toEqual([]);
      await receiver.stop();
    });
  });
});
