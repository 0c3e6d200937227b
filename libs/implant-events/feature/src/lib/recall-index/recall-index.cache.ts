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
 * committed change bumps the generation, so a reader that read the database just before a
 * change and writes its copy just after writes it under a generation nobody reads any more.
 * When the bump fails (Redis down or refusing), this process reads the database until a bump
 * succeeds, so a copy from before the change is never served here.
 */
@Injectable()
export class RecallIndexCache implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger = new Logger('RecallIndexCache');
  private bumpOwed = false;
  /** Bumped after every committed change: a copy is cached under the generation it was read at. */
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
  async openRecalls(): Promise<ActiveRecall[] | undefined> {
    if (this.bumpOwed) await this.bumpGeneration();
    const generation = this.bumpOwed ? undefined : await this.currentGeneration();
    if (generation !== undefined) {
      const cached = await this.redis
        .get(`${this.openRecallsPrefix}:${generation}`)
        .catch(() => undefined);
      if (typeof cached === 'string') return JSON.parse(cached) as ActiveRecall[];
    }
    let fromDatabase: ActiveRecall[];
    try {
      fromDatabase = await this.recalls.openRecalls();
    } catch (error) {
      this.logger.warn(`recall index unreadable: ${String(error)}`);
      return undefined;
    }
    if (generation !== undefined) {
      await this.redis
        .set(`${this.openRecallsPrefix}:${generation}`, JSON.stringify(fromDatabase), {
          EX: CACHE_TTL_SECONDS,
        })
        .catch(() => undefined);
    }
    return fromDatabase;
  }

  private async currentGeneration(): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.generationKey)) ?? '0';
    } catch {
      return undefined;
    }
  }

  private async bumpGeneration(): Promise<void> {
    try {
      await this.redis.incr(this.generationKey);
      this.bumpOwed = false;
    } catch {
      this.bumpOwed = true;
    }
  }
}
