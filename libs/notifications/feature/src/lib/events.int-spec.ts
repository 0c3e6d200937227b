import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import { EVENTS } from '@implant-trace/contracts';
import { waitFor } from '@implant-trace/platform-testing';

import {
  freshOds,
  implantRecorded,
  type JsonBody,
  matchFound,
  recallIssued,
  Receiver,
  Service,
  Upstream,
} from '../test-support/notifications.test-bed';
import { FanOutUseCase } from './feed/fan-out.use-case';

describe('the per-hospital sequence and the catch-up pull', () => {
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

  async function pullAll(ods: string, after = 0, limit = 2): Promise<JsonBody[]> {
    const items: JsonBody[] = [];
    let cursor: string | null = String(after);
    while (cursor !== null) {
      const page = await service.call('GET', `/v1/events?after=${cursor}&limit=${limit}`, { ods });
      expect(page.status).toBe(200);
      items.push(...(page.body['items'] as JsonBody[]));
      cursor = page.body['nextCursor'];
    }
    return items;
  }

  it('numbers every event of a hospital without gaps or reuse, recall notices included', async () => {
    const ods = freshOds();
    const neighbour = freshOds();
    await service.subscribe(ods, 'http://127.0.0.1:9/hooks', ['recall.issued']);
    await service.subscribe(neighbour, 'http://127.0.0.1:9/hooks', ['recall.issued']);
    // Matches (one partition per hospital) and recalls (another topic, other partitions) are
    // consumed concurrently, and all of them take numbers from the same hospital's sequence.
    const ids = await upstream.publish(
      ...[1, 2, 3, 4, 5].map(
        () =>
          [EVENTS.recallMatchFoundV1, matchFound(ods)] as [
            typeof EVENTS.recallMatchFoundV1,
            object,
          ],
      ),
      ...[1, 2, 3].map(
        () => [EVENTS.recallIssuedV1, recallIssued()] as [typeof EVENTS.recallIssuedV1, object],
      ),
      [EVENTS.recallMatchFoundV1, matchFound(neighbour)],
    );
    const events = await waitFor(
      async () => {
        const all = await pullAll(ods, 0, 100);
        return all.length === 8 ? all : undefined;
      },
      { description: 'eight events in the feed' },
    );
    expect(events.map((e) => e['sequence'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(events.map((e) => e['id']))).toEqual(new Set(ids.slice(0, 8)));
    const matchOrder = events.filter((e) => e['type'] === 'recall.match.found').map((e) => e['id']);
    expect(matchOrder).toEqual(ids.slice(0, 5));
    // The neighbour saw the recall notices and its own match only, numbered from 1.
    const theirs = await waitFor(async () => {
      const all = await pullAll(neighbour, 0, 100);
      return all.length === 4 ? all : undefined;
    });
    expect(theirs.map((e) => e['sequence'])).toEqual([1, 2, 3, 4]);
    expect(theirs.map((e) => e['id'])).not.toContain(ids[0]);
  });

  it('keeps a recall notice issued before a hospital registered out of its feed, however late the service applies it', async () => {
    const ods = freshOds();
    const receiver = new Receiver();
    await receiver.start();
    // The service is down while an old notice waits on the topic, as a fresh service finds the
    // topics' history; the hospital registers through another instance before it is applied.
    await service.stop();
    const [before] = await upstream.publish([EVENTS.recallIssuedV1, recallIssued()]);
    const front = new Service({ runWorkers: false }, service.schema);
    await front.start();
    const { secret } = await front.subscribe(ods, receiver.url, ['recall.issued']);
    receiver.secrets = [secret];
    await front.stop();
    await service.start();
    const [after] = await upstream.publish([EVENTS.recallIssuedV1, recallIssued()]);
    // Proof that the old notice was applied after the registration, not lost on the way.
    await waitFor(
      async () =>
        (await service.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [before])).length === 1,
      { description: 'the old notice to be applied' },
    );
    await waitFor(() => receiver.accepted().some((r) => r.id === after), {
      description: 'the later notice',
    });
    const feed = await pullAll(ods, 0, 100);
    expect(feed.map((e) => [e['id'], e['sequence']])).toEqual([[after, 1]]);
    expect(receiver.accepted().map((r) => r.id)).toEqual([after]);
    await receiver.stop();
  });

  it('numbers a burst of a few hospitals’ events from every partition with no transaction retried', async () => {
    const hospitals = [freshOds(), freshOds(), freshOds()];
    // Implant events are keyed by implant, so each hospital's are on every partition, and each
    // partition's share is applied in transactions that take all three hospitals' rows.
    await upstream.publish(
      ...Array.from(
        { length: 900 },
        (_, index) =>
          [EVENTS.implantRecordedV1, implantRecorded(hospitals[index % 3]!)] as [
            typeof EVENTS.implantRecordedV1,
            object,
          ],
      ),
    );
    const numbered = await waitFor(
      async () => {
        const rows = await service.query<{ hospital_ods: string; n: number; top: string }>(
          `SELECT hospital_ods, count(*)::int AS n, max(sequence)::text AS top FROM feed_events
            WHERE hospital_ods = ANY($1::text[]) GROUP BY hospital_ods ORDER BY hospital_ods`,
          [hospitals],
        );
        return rows.length === 3 && rows.every((row) => row.n === 300) ? rows : undefined;
      },
      { timeoutMs: 60_000, description: 'every event numbered' },
    );
    expect(numbered.map((row) => row.top)).toEqual(['300', '300', '300']);
    // A deadlock between two partitions' transactions would have paused one and retried it.
    const metrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
    const retried = metrics
      .split('\n')
      .filter((line) => line.startsWith('kafka_consumer_retries_total{'))
      .filter((line) => line.includes(`group="${service.groupId}"`));
    expect(retried).toEqual([]);
  });

  it('creates one delivery per subscriber of the event, however many subscribers a hospital has', async () => {
    const ods = freshOds();
    const subscriptions: string[] = [];
    for (let index = 0; index < 6; index += 1) {
      subscriptions.push((await service.subscribe(ods, 'http://127.0.0.1:9/hooks')).id);
    }
    const [eventId] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    const deliveries = await waitFor(
      async () => {
        const rows = await service.query<{ subscription_id: string; sequence: string }>(
          `SELECT subscription_id, sequence::text AS sequence FROM deliveries WHERE event_id = $1`,
          [eventId],
        );
        return rows.length >= 6 ? rows : undefined;
      },
      { description: 'the deliveries' },
    );
    expect(deliveries.map((d) => d.subscription_id).sort()).toEqual([...subscriptions].sort());
    expect(new Set(deliveries.map((d) => d.sequence))).toEqual(new Set(['1']));
  });

  it('returns exactly the events missed while the receiver was down, in order, paged', async () => {
    const ods = freshOds();
    const receiver = new Receiver();
    await receiver.start();
    const { secret } = await service.subscribe(ods, receiver.url, ['recall.match.found']);
    receiver.secrets = [secret];
    const [seen] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    await waitFor(() => receiver.accepted().length === 1, { description: 'the first delivery' });
    const lastSeen = receiver.accepted()[0]!.body['sequence'] as number;
    receiver.answer = () => ({ status: 503 });
    const missed = await upstream.publish(
      [EVENTS.recallMatchFoundV1, matchFound(ods)],
      [EVENTS.recallMatchFoundV1, matchFound(ods)],
      [EVENTS.recallMatchFoundV1, matchFound(ods)],
    );
    await waitFor(async () => (await pullAll(ods)).length === 4, { description: 'the feed' });
    const caughtUp = await pullAll(ods, lastSeen, 2);
    expect(caughtUp.map((e) => e['id'])).toEqual(missed);
    expect(caughtUp.map((e) => e['sequence'])).toEqual([lastSeen + 1, lastSeen + 2, lastSeen + 3]);
    expect(caughtUp[0]).toMatchObject({
      type: 'recall.match.found',
      subject: ods,
      data: { hospitalOds: ods, patient: { nhsNumber: '9434765919' } },
    });
    expect(seen).toBeDefined();
    await receiver.stop();
  });

  it('takes no number for an event id already in the feed, leaving no gap', async () => {
    const ods = freshOds();
    const fanOut = service.app!.get(FanOutUseCase);
    const envelopeOf = (id: string) => ({
      id,
      type: EVENTS.recallMatchFoundV1.type,
      source: 'it-direct',
      time: new Date().toISOString(),
      subject: ods,
      data: matchFound(ods),
    });
    const record = (id: string) =>
      service.app!.get(DataSource).transaction((tx) =>
        fanOut.execute(tx, {
          envelope: envelopeOf(id),
          type: 'recall.match.found',
          hospitals: [ods],
          recallId: undefined,
        }),
      );
    const [first, second] = [randomUUID(), randomUUID()];
    await record(first);
    await record(first);
    await record(second);
    const events = await pullAll(ods);
    expect(events.map((e) => [e['id'], e['sequence']])).toEqual([
      [first, 1],
      [second, 2],
    ]);
  });

  it('never shows one hospital another’s events', async () => {
    const ods = freshOds();
    await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
    await waitFor(async () => (await pullAll(ods)).length === 1, { description: 'the feed' });
    expect(await pullAll(freshOds())).toEqual([]);
  });

  it('refuses a bad cursor and a bad limit', async () => {
    for (const query of ['after=-1', 'after=x', 'after=1.5', 'limit=0', 'limit=201', 'limit=x']) {
      const refused = await service.call('GET', `/v1/events?${query}`, { ods: freshOds() });
      expect(refused.status).toBe(400);
      expect(refused.body['errors'][0].field).toBe(query.split('=')[0]);
    }
  });
});
