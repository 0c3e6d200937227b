import type { IDBPDatabase } from 'idb';
import { openDB } from 'idb';

import type { QueueEntry, QueueStore } from '@implant-trace/theatre-web-domain';

const DATABASE = 'theatre-web';
const STORE = 'queue';

/**
 * The offline queue in IndexedDB: it outlives a reload, a crash and a browser restart, and
 * each write is committed before `put` resolves, so an entry acknowledged to the person is on
 * disk.
 */
export class IndexedDbQueueStore implements QueueStore {
  private constructor(private readonly db: IDBPDatabase) {}

  static async open(factory?: IDBFactory): Promise<IndexedDbQueueStore> {
    if (factory !== undefined) globalThis.indexedDB = factory;
    const db = await openDB(DATABASE, 1, {
      upgrade(database) {
        database.createObjectStore(STORE, { keyPath: 'id' });
      },
    });
    return new IndexedDbQueueStore(db);
  }

  async all(): Promise<QueueEntry[]> {
    return (await this.db.getAll(STORE)) as QueueEntry[];
  }

  async put(entry: QueueEntry): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    await Promise.all([tx.store.put(entry), tx.done]);
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    await Promise.all([tx.store.delete(id), tx.done]);
  }

  close(): void {
    this.db.close();
  }
}
