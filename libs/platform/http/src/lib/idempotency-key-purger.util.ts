import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';

import { IdempotencyKeyRepository } from './idempotency-key.repository';
import type { IdempotencyOptions } from './service-platform.tokens';
import { IDEMPOTENCY_OPTIONS } from './service-platform.tokens';

/**
 * Purges idempotency keys past their retention period on a timer, so stored answers (which
 * may hold patient data) are not kept for ever. Every process runs it; the deletes are
 * idempotent, so overlapping runs do no harm.
 */
@Injectable()
export class IdempotencyKeyPurger implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(IdempotencyKeyRepository) private readonly keys: IdempotencyKeyRepository,
    @Inject(IDEMPOTENCY_OPTIONS) private readonly options: IdempotencyOptions,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.running ??= this.purge().finally(() => {
        this.running = undefined;
      });
    }, this.options.purgeIntervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async purge(): Promise<void> {
    try {
      const purged = await this.keys.purgeOlderThan(this.options.retentionSeconds);
      if (purged > 0) this.logger.log(`purged ${purged} idempotency keys past retention`);
    } catch (error) {
      this.logger.error(`idempotency key purge failed: ${String(error)}`);
    }
  }
}
