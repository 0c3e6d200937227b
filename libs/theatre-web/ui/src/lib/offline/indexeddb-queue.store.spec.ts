/**
 * @jest-environment node
 */
import 'fake-indexeddb/auto';

import type { QueueEntry } from '@implant-trace/theatre-web-domain';

import { IndexedDbQueueStore } from './indexeddb-queue.store';

const entry: QueueEntry = {
  id: 'key-1',
  kind: 'record-implant',
  path: '/api/implant-events/v1/implants',
  body: { barcode: 'x', patient: { nhsNumber: '9990000018' } },
  summary: 'implant',
  createdAt: '2026-12-01T10:00:00.000Z',
  attempts: 0,
  state: 'queued',
};

describe('IndexedDbQueueStore', () => {
  it('keeps entries across a close and reopen of the database, as across a reload', async () => {
    const first = await IndexedDbQueueStore.open();
    await first.put(entry);
    await first.put({ ...entry, id: 'key-2' });
    first.close();

    const reopened = await IndexedDbQueueStore.open();
    expect((await reopened.all()).map(({ id }) => id).sort()).toEqual(['key-1', 'key-2']);
    await reopened.delete('key-1');
    expect(await reopened.all()).toEqual([{ ...entry, id: 'key-2' }]);
    reopened.close();
  });
});
