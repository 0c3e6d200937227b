import type { LookupFunction } from 'node:net';
import { lookup as systemLookup } from 'node:dns';

import { freshOds, Service } from '../test-support/notifications.test-bed';

/** `intranet.example.test` is a hospital-internal name: it resolves to a private address. */
const lookup: LookupFunction = (hostname, options, callback) => {
  if (hostname === 'intranet.example.test') {
    if (options.all === true) return callback(null, [{ address: '10.20.30.40', family: 4 }]);
    return callback(null, '10.20.30.40', 4);
  }
  if (hostname === 'public.example.test') {
    if (options.all === true) return callback(null, [{ address: '93.184.215.14', family: 4 }]);
    return callback(null, '93.184.215.14', 4);
  }
  return (systemLookup as LookupFunction)(hostname, options, callback);
};

describe('subscriptions against the real PostgreSQL and Kafka', () => {
  const service = new Service({ lookup, runWorkers: false });
  const ods = freshOds();
  const other = freshOds();

  beforeAll(() => service.start());
  afterAll(() => service.drop());

  it('creates a subscription, shows its secret once, lists it without it, and deletes it', async () => {
    const created = await service.call('POST', '/v1/subscriptions', {
      ods,
      body: {
        url: 'https://public.example.test/hooks',
        eventTypes: ['recall.match.found', 'recall.issued'],
        description: 'EPR',
      },
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        id: expect.any(String),
        url: 'https://public.example.test/hooks',
        eventTypes: ['recall.match.found', 'recall.issued'],
        description: 'EPR',
        status: 'active',
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      },
    });
    const listed = await service.call('GET', '/v1/subscriptions', { ods });
    expect(listed.status).toBe(200);
    expect(listed.body['items']).toEqual([expect.objectContaining({ id: created.body['id'] })]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body['secret']);
    expect(listed.body['nextCursor']).toBeNull();

    expect(
      (await service.call('DELETE', `/v1/subscriptions/${created.body['id']}`, { ods })).status,
    ).toBe(204);
    expect((await service.call('GET', '/v1/subscriptions', { ods })).body['items']).toEqual([]);
    expect(
      (await service.call('DELETE', `/v1/subscriptions/${created.body['id']}`, { ods })).status,
    ).toBe(404);
  });

  it('never shows, rotates or deletes another hospital’s subscription', async () => {
    const mine = await service.subscribe(other, 'https://public.example.test/other');
    expect((await service.call('GET', '/v1/subscriptions', { ods })).body['items']).toEqual([]);
    const rotate = await service.call('POST', `/v1/subscriptions/${mine.id}/rotate-secret`, {
      ods,
      body: {},
    });
    expect(rotate.status).toBe(404);
    expect((await service.call('DELETE', `/v1/subscriptions/${mine.id}`, { ods })).status).toBe(
      404,
    );
    const still = await service.call('GET', '/v1/subscriptions', { ods: other });
    expect(still.body['items']).toEqual([
      expect.objectContaining({ id: mine.id, status: 'active' }),
    ]);
  });

  it('rotates the secret: a new one shown once, the old one signing until the grace ends', async () => {
    const created = await service.subscribe(ods, 'https://public.example.test/rotate');
    const rotated = await service.call('POST', `/v1/subscriptions/${created.id}/rotate-secret`, {
      ods,
      body: { gracePeriodSeconds: 3600 },
    });
    expect(rotated).toMatchObject({
      status: 200,
      body: { id: created.id, secret: expect.stringMatching(/^whsec_/) },
    });
    expect(rotated.body['secret']).not.toBe(created.secret);
    const [row] = await service.query(
      `SELECT secret, previous_secret, previous_secret_expires_at > now() AS grace
         FROM subscriptions WHERE subscription_id = $1`,
      [created.id],
    );
    expect(row).toEqual({
      secret: rotated.body['secret'],
      previous_secret: created.secret,
      grace: true,
    });
    expect(rotated.body['previousSecretExpiresAt']).toEqual(expect.any(String));
  });

  it('pages the list with a cursor', async () => {
    const hospital = freshOds();
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await service.subscribe(hospital, `https://public.example.test/page${i}`)).id);
    }
    const first = await service.call('GET', '/v1/subscriptions?limit=2', { ods: hospital });
    expect(first.body['items'].map((s: { id: string }) => s.id)).toEqual(ids.slice(0, 2));
    const second = await service.call(
      'GET',
      `/v1/subscriptions?limit=2&cursor=${first.body['nextCursor']}`,
      { ods: hospital },
    );
    expect(second.body).toEqual({
      items: [expect.objectContaining({ id: ids[2] })],
      nextCursor: null,
    });
  });

  describe('the endpoint URL policy at registration', () => {
    it.each([
      ['plain HTTP to a public host', 'http://public.example.test/hooks', 'must use https'],
      ['a private address', 'https://10.0.0.5/hooks', '10.0.0.5 is a private address'],
      ['a link-local address', 'https://169.254.169.254/latest', 'link-local'],
      ['an IPv6 link-local address', 'https://[fe80::1]/hooks', 'link-local'],
      [
        'a name that resolves to a private address',
        'https://intranet.example.test/hooks',
        '10.20.30.40 is a private address',
      ],
      ['credentials in the URL', 'https://u:p@public.example.test/', 'credentials'],
      ['a name that does not resolve', 'https://no-such-host.invalid/hooks', 'does not resolve'],
    ])('refuses %s, storing nothing', async (_label, url, reason) => {
      const hospital = freshOds();
      const refused = await service.call('POST', '/v1/subscriptions', {
        ods: hospital,
        body: { url, eventTypes: ['recall.issued'] },
      });
      expect(refused).toMatchObject({
        status: 400,
        body: { errors: [{ field: 'url', message: expect.stringContaining(reason) }] },
      });
      expect(
        (await service.call('GET', '/v1/subscriptions', { ods: hospital })).body['items'],
      ).toEqual([]);
    });

    it('allows loopback when the configuration does (local runs and tests)', async () => {
      const created = await service.call('POST', '/v1/subscriptions', {
        ods: freshOds(),
        body: { url: 'http://127.0.0.1:9/hooks', eventTypes: ['recall.issued'] },
      });
      expect(created.status).toBe(201);
    });
  });

  describe('bad input', () => {
    it('names every failing field of a subscription and stores nothing', async () => {
      const hospital = freshOds();
      const refused = await service.call('POST', '/v1/subscriptions', {
        ods: hospital,
        body: {
          url: 42,
          eventTypes: ['recall.issued', 'recall.issued', 'device.registered'],
          description: 'x'.repeat(501),
        },
      });
      expect(refused.status).toBe(400);
      const fields = (refused.body['errors'] as { field: string }[]).map((e) => e.field);
      expect(new Set(fields)).toEqual(new Set(['url', 'eventTypes', 'description']));
      const empty = await service.call('POST', '/v1/subscriptions', {
        ods: hospital,
        body: { url: 'https://public.example.test/', eventTypes: [] },
      });
      expect(empty).toMatchObject({ status: 400, body: { errors: [{ field: 'eventTypes' }] } });
      const missing = await service.call('POST', '/v1/subscriptions', { ods: hospital, body: {} });
      expect(new Set((missing.body['errors'] as { field: string }[]).map((e) => e.field))).toEqual(
        new Set(['url', 'eventTypes']),
      );
      const unknown = await service.call('POST', '/v1/subscriptions', {
        ods: hospital,
        body: {
          url: 'https://public.example.test/',
          eventTypes: ['recall.issued'],
          secret: 'mine',
        },
      });
      expect(unknown).toMatchObject({ status: 400, body: { errors: [{ field: 'secret' }] } });
      expect(
        (await service.call('GET', '/v1/subscriptions', { ods: hospital })).body['items'],
      ).toEqual([]);
    });

    it('refuses a bad grace period, a bad id, a bad limit and a bad cursor', async () => {
      const created = await service.subscribe(ods, 'https://public.example.test/bad');
      for (const gracePeriodSeconds of [-1, 1.5, 'soon', 8 * 24 * 3600]) {
        const refused = await service.call(
          'POST',
          `/v1/subscriptions/${created.id}/rotate-secret`,
          {
            ods,
            body: { gracePeriodSeconds },
          },
        );
        expect(refused.status).toBe(400);
        expect(new Set(refused.body['errors'].map((e: { field: string }) => e.field))).toEqual(
          new Set(['gracePeriodSeconds']),
        );
      }
      expect((await service.call('DELETE', '/v1/subscriptions/not-a-uuid', { ods })).status).toBe(
        400,
      );
      for (const query of ['limit=0', 'limit=201', 'limit=x', 'cursor=nope']) {
        expect((await service.call('GET', `/v1/subscriptions?${query}`, { ods })).status).toBe(400);
      }
    });
  });
});
