import type { QueueEntry, QueueStore, SendResult } from './offline-queue';
import { decideAttempt, OfflineQueue } from './offline-queue';

class MemoryStore implements QueueStore {
  readonly entries = new Map<string, QueueEntry>();
  async all(): Promise<QueueEntry[]> {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }
  async put(entry: QueueEntry): Promise<void> {
    this.entries.set(entry.id, structuredClone(entry));
  }
  async delete(id: string): Promise<void> {
    this.entries.delete(id);
  }
}

function fixture(answers: SendResult[]) {
  const store = new MemoryStore();
  const sent: { id: string; body: unknown }[] = [];
  let tick = 0;
  let ids = 0;
  const queue = new OfflineQueue(
    store,
    async (entry) => {
      sent.push({ id: entry.id, body: entry.body });
      const answer = answers.shift();
      if (answer === undefined) throw new Error('no answer prepared');
      return answer;
    },
    { now: () => new Date(Date.UTC(2026, 11, 1, 10, 0, tick++)) },
    () => `key-${++ids}`,
  );
  return { store, sent, queue };
}

const recording = (n: number) => ({
  kind: 'record-implant' as const,
  path: '/api/implant-events/v1/implants',
  body: { barcode: `scan-${n}` },
  summary: `implant ${n}`,
});

describe('OfflineQueue', () => {
  it('stores an entry with its idempotency key before anything is sent', async () => {
    const { store, queue, sent } = fixture([]);
    const entry = await queue.enqueue(recording(1));
    expect(entry).toMatchObject({ id: 'key-1', state: 'queued', attempts: 0 });
    expect(store.entries.get('key-1')).toEqual(entry);
    expect(sent).toEqual([]);
  });

  it('retries with the same key after the service could not be reached, and keeps the order', async () => {
    const { queue, sent } = fixture([
      { kind: 'unreachable', problem: 'Failed to fetch' },
      { kind: 'answered', status: 201, body: { verdict: 'OK' } },
      { kind: 'answered', status: 201, body: { verdict: 'RECALLED' } },
    ]);
    await queue.enqueue(recording(1));
    await queue.enqueue(recording(2));

    const offline = await queue.drain();
    expect(offline).toMatchObject({ stillOffline: true, sent: [] });
    // The first failure stops the drain: the second was not tried behind it.
    expect(sent.map(({ id }) => id)).toEqual(['key-1']);
    expect((await queue.entries()).map(({ state, attempts }) => ({ state, attempts }))).toEqual([
      { state: 'queued', attempts: 1 },
      { state: 'queued', attempts: 0 },
    ]);

    const online = await queue.drain();
    expect(sent.map(({ id }) => id)).toEqual(['key-1', 'key-1', 'key-2']);
    expect(online.sent.map(({ id, response }) => ({ id, response }))).toEqual([
      { id: 'key-1', response: { status: 201, body: { verdict: 'OK' } } },
      { id: 'key-2', response: { status: 201, body: { verdict: 'RECALLED' } } },
    ]);
  });

  it('keeps a refused entry, with the reason, until a person dismisses it', async () => {
    const { queue } = fixture([
      {
        kind: 'answered',
        status: 422,
        body: { title: 'Clinically invalid', detail: 'NHS number' },
      },
    ]);
    await queue.enqueue(recording(1));
    const report = await queue.drain();
    expect(report.rejected).toEqual([
      expect.objectContaining({ state: 'rejected', problem: 'Clinically invalid: NHS number' }),
    ]);
    await queue.dismiss('key-1');
    expect(await queue.entries()).toEqual([]);
  });

  it('never dismisses an entry that has not been sent', async () => {
    const { queue } = fixture([]);
    await queue.enqueue(recording(1));
    await queue.dismiss('key-1');
    expect(await queue.entries()).toHaveLength(1);
  });

  it('shares one drain between concurrent calls, so nothing is sent twice at once', async () => {
    const { queue, sent } = fixture([{ kind: 'answered', status: 201, body: {} }]);
    await queue.enqueue(recording(1));
    const [a, b] = await Promise.all([queue.drain(), queue.drain()]);
    expect(a).toBe(b);
    expect(sent).toHaveLength(1);
  });

  it('keeps the entries when the sign-in expired', async () => {
    const { queue } = fixture([{ kind: 'answered', status: 401, body: {} }]);
    await queue.enqueue(recording(1));
    expect(await queue.drain()).toMatchObject({ signInNeeded: true, stillOffline: false });
    expect(await queue.entries()).toEqual([
      expect.objectContaining({ state: 'queued', problem: 'Sign in again to send' }),
    ]);
  });
});

describe('decideAttempt', () => {
  it.each([
    [200, 'sent'],
    [201, 'sent'],
    [400, 'rejected'],
    [409, 'rejected'],
    [422, 'rejected'],
    [401, 'sign-in-needed'],
    [408, 'retry'],
    [429, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
  ] as const)('status %d: %s', (status, decision) => {
    expect(decideAttempt({ kind: 'answered', status, body: {} })).toBe(decision);
  });
});
