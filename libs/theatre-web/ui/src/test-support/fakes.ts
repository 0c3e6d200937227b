import type { QueueEntry, QueueStore } from '@implant-trace/theatre-web-domain';
import { OfflineQueue } from '@implant-trace/theatre-web-domain';

import type { Fetch } from '../lib/api/api-client';
import { ApiClient } from '../lib/api/api-client';
import type { ClientConfig, Session } from '../lib/auth/session';
import type { TheatreWebServices } from '../lib/shell/services.context';
import type { VerdictSound } from '@implant-trace/theatre-web-domain';

export class MemoryQueueStore implements QueueStore {
  readonly entries = new Map<string, QueueEntry>();
  async all(): Promise<QueueEntry[]> {
    return [...this.entries.values()].map((entry) => ({ ...entry }));
  }
  async put(entry: QueueEntry): Promise<void> {
    this.entries.set(entry.id, { ...entry });
  }
  async delete(id: string): Promise<void> {
    this.entries.delete(id);
  }
}

export type Route = (
  path: string,
  init: RequestInit | undefined,
) => { status: number; body: unknown } | 'offline';

/** A fetch answering from `route`: the services' HTTP contract, stubbed for pure UI tests. */
export function stubFetch(
  route: Route,
): Fetch & { calls: { path: string; init: RequestInit | undefined }[] } {
  const calls: { path: string; init: RequestInit | undefined }[] = [];
  const fetchStub = async (path: string, init?: RequestInit) => {
    calls.push({ path, init });
    const answer = route(path, init);
    if (answer === 'offline') throw new TypeError('Failed to fetch');
    // jsdom has no fetch Response: the two members ApiClient reads.
    const text = JSON.stringify(answer.body);
    return { status: answer.status, text: async () => text } as unknown as Response;
  };
  return Object.assign(fetchStub, { calls });
}

export const TEST_CONFIG: ClientConfig = {
  signIn: 'development',
  gsAliases: ['{GS}'],
  hospitals: [{ ods: 'RXH01', name: 'Test Hospital' }],
};

export function testServices(route: Route, role: Session['role'] = 'theatre') {
  const fetchStub = stubFetch(route);
  const store = new MemoryQueueStore();
  const sounds: VerdictSound[] = [];
  let ids = 0;
  const services: TheatreWebServices = {
    api: new ApiClient(() => 'test-token', fetchStub),
    queue: new OfflineQueue(
      store,
      (entry) =>
        new ApiClient(() => 'test-token', fetchStub).send(entry.path, {
          body: entry.body,
          idempotencyKey: entry.id,
        }),
      { now: () => new Date() },
      () => `key-${++ids}`,
    ),
    sound: { play: (sound) => sounds.push(sound) },
    config: TEST_CONFIG,
    session: {
      token: 'test-token',
      role,
      ods: 'RXH01',
      expiresAt: Date.now() + 3_600_000,
      via: 'development',
    },
  };
  return { services, fetchStub, store, sounds };
}
