import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type TransactionCommitEvent,
} from 'typeorm';

import type { ActiveRecall } from '@implant-trace/implant-events-domain';
import { cacheKey, type RedisConnection } from '@implant-trace/platform-cache';

import {
  IMPLANT_EVENTS_OPTIONS,
  IMPLANT_EVENTS_REDIS,
  type ImplantEventsOptions,
} from '../implant-events.options';
import { RecallIndexRepository } from './recall-index.repository';

/** Bounds how long an abandoned generation's copy stays in Redis. */
const CACHE_TTL_SECONDS = 300;
const RECALLS_CHANGED = 'implant-events:recalls-changed';

/**
 * The open recalls for hot lookups: Redis first, the database (the truth) when Redis misses or
 * fails. Each copy is cached under the generation current when its reader began, and every
 * committed change moves the generation on, so a reader that read the database just before a
 * change and writes its copy just after writes it under a generation nobody reads any more.
 * Generations are random, never counted: a flushed or restarted Redis can never come back to
 * the generation of a copy some process still holds. When the bump fails (Redis down or refusing), this process reads the database until a bump
 * succeeds, so a copy from before the change is never served here.
 */
@Injectable()
export class RecallIndexCache implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger = new Logger('RecallIndexCache');
  private bumpOwed = false;
  /** This process's copy of the open recalls and the generation it was read at. */
  private held: { generation: string; recalls: readonly ActiveRecall[] } | undefined;
  /** Replaced after every committed change: a copy is cached under the generation it was read at. */
  private readonly generationKey: string;
  private readonly openRecallsPrefix: string;

  constructor(
    @Inject(IMPLANT_EVENTS_REDIS) private readonly redis: RedisConnection,
    @Inject(RecallIndexRepository) private readonly recalls: RecallIndexRepository,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IMPLANT_EVENTS_OPTIONS) options: ImplantEventsOptions,
  ) {
    // The schema names the keys: two deployments sharing a Redis never read each other's index.
    this.generationKey = cacheKey(options.serviceName, 'recalls', options.cacheScope, 'generation');
    this.openRecallsPrefix = cacheKey(options.serviceName, 'recalls', options.cacheScope, 'open');
  }

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
    return this.bumpGeneration();
  }

  /** The open recalls, or undefined when neither Redis nor the database can be read. */
  async openRecalls(): Promise<readonly ActiveRecall[] | undefined> {
    if (this.bumpOwed) await this.bumpGeneration();
    const generation = this.bumpOwed ? undefined : await this.currentGeneration();
    if (generation === undefined) return this.readDatabase();
    // One round trip while nothing changes: the generation says this process's copy is current.
    if (this.held?.generation === generation) return this.held.recalls;
    const copyKey = `${this.openRecallsPrefix}:${generation}`;
    const cached = await this.redis.get(copyKey).catch(() => undefined);
    let recalls: ActiveRecall[] | undefined;
    if (typeof cached === 'string') {
      recalls = JSON.parse(cached) as ActiveRecall[];
    } else {
      recalls = await this.readDatabase();
      if (recalls === undefined) return undefined;
      await this.redis
        .set(copyKey, JSON.stringify(recalls), {
          expiration: { type: 'EX', value: CACHE_TTL_SECONDS },
        })
        .catch(() => undefined);
    }
    this.held = { generation, recalls };
    return recalls;
  }

  private async readDatabase(): Promise<ActiveRecall[] | undefined> {
    try {
      return await this.recalls.openRecalls();
    } catch (error) {
      this.logger.warn(`recall index unreadable: ${String(error)}`);
      return undefined;
    }
  }

  /**
   * The generation current now, set first when Redis has none (a fresh or flushed Redis): always
   * before the database is read, so a change committed after that read moves past it.
   */
  private async currentGeneration(): Promise<string | undefined> {
    try {
      const generation = await this.redis.get(this.generationKey);
      if (generation !== null) return generation;
      const fresh = randomUUID();
      const earlier = await this.redis.set(this.generationKey, fresh, {
        condition: 'NX',
        GET: true,
      });
      return earlier ?? fresh;
    } catch {
      return undefined;
    }
  }

  private async bumpGeneration(): Promise<void> {
    try {
      await this.redis.set(this.generationKey, randomUUID());
      this.bumpOwed = false;
    } catch {
      this.bumpOwed = true;
    }
  }
}
