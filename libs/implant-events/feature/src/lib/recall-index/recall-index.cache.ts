import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type TransactionCommitEvent,
} from 'typeorm';

import type { ActiveRecall } from '@implant-trace/implant-events-domain';
import { cacheKey, type RedisConnection } from '@implant-trace/platform-cache';

import { IMPLANT_EVENTS_REDIS } from '../implant-events.options';
import { RecallIndexRepository } from './recall-index.repository';

const OPEN_RECALLS_KEY = cacheKey('implant-events', 'recalls', 'open');
/** Bounds how long a copy that missed an invalidation could be served. */
const CACHE_TTL_SECONDS = 30;
const RECALLS_CHANGED = 'implant-events:recalls-changed';

/**
 * The open recalls for hot lookups: Redis first, the database (the truth) when Redis misses or
 * fails. A change is dropped from the cache only once its transaction has committed, so a
 * reader cannot cache the state from before it; when that drop fails (Redis down), this
 * process reads the database until a drop succeeds, so a copy from before the change is
 * never served here.
 */
@Injectable()
export class RecallIndexCache implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger = new Logger('RecallIndexCache');
  private invalidationOwed = false;

  constructor(
    @Inject(IMPLANT_EVENTS_REDIS) private readonly redis: RedisConnection,
    @Inject(RecallIndexRepository) private readonly recalls: RecallIndexRepository,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /** Called by a consumer inside the transaction that changes the index. */
  static markChanged(tx: EntityManager): void {
    if (tx.queryRunner !== undefined) tx.queryRunner.data[RECALLS_CHANGED] = true;
  }

  afterTransactionCommit(event: TransactionCommitEvent): Promise<void> | void {
    const data = event.queryRunner.data as Record<string, unknown>;
    if (data[RECALLS_CHANGED] !== true) return;
    return this.invalidate();
  }

  /** The open recalls, or undefined when neither Redis nor the database can be read. */
  async openRecalls(): Promise<ActiveRecall[] | undefined> {
    if (this.invalidationOwed) await this.invalidate();
    if (!this.invalidationOwed) {
      const cached = await this.redis.get(OPEN_RECALLS_KEY).catch(() => undefined);
      if (typeof cached === 'string') return JSON.parse(cached) as ActiveRecall[];
    }
    let fromDatabase: ActiveRecall[];
    try {
      fromDatabase = await this.recalls.openRecalls();
    } catch (error) {
      this.logger.warn(`recall index unreadable: ${String(error)}`);
      return undefined;
    }
    if (!this.invalidationOwed) {
      await this.redis
        .set(OPEN_RECALLS_KEY, JSON.stringify(fromDatabase), { EX: CACHE_TTL_SECONDS })
        .catch(() => undefined);
    }
    return fromDatabase;
  }

  private async invalidate(): Promise<void> {
    try {
      await this.redis.del(OPEN_RECALLS_KEY);
      this.invalidationOwed = false;
    } catch {
      this.invalidationOwed = true;
    }
  }
}
