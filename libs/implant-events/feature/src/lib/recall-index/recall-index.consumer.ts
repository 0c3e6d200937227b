import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import type { RecallClosedV1, RecallIssuedV1, RecallUpdatedV1 } from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import { InboxEventContext } from '@implant-trace/platform-messaging';

import { RecallIndexCache } from './recall-index.cache';
import { RecallIndexRepository } from './recall-index.repository';

@Controller()
export class RecallIndexConsumer {
  constructor(@Inject(RecallIndexRepository) private readonly index: RecallIndexRepository) {}

  @EventPattern(EVENTS.recallIssuedV1.type)
  async onIssued(@Payload() recall: RecallIssuedV1, @Ctx() context: InboxEventContext) {
    const tx = context.getTransaction();
    await this.index.applyDetails(tx, recall, recall.issuedAt);
    RecallIndexCache.markChanged(tx);
  }

  @EventPattern(EVENTS.recallUpdatedV1.type)
  async onUpdated(@Payload() recall: RecallUpdatedV1, @Ctx() context: InboxEventContext) {
    const tx = context.getTransaction();
    await this.index.applyDetails(tx, recall, recall.updatedAt);
    RecallIndexCache.markChanged(tx);
  }

  @EventPattern(EVENTS.recallClosedV1.type)
  async onClosed(@Payload() closed: RecallClosedV1, @Ctx() context: InboxEventContext) {
    const tx = context.getTransaction();
    await this.index.applyClosed(tx, closed);
    RecallIndexCache.markChanged(tx);
  }
}
