import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import type {
  ImplantEnteredInErrorV1,
  ImplantExplantedV1,
  ImplantRecordedV1,
} from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import {
  EventBatchPattern,
  InboxBatchContext,
  InboxEventContext,
} from '@implant-trace/platform-messaging';

import { lockForImplantFacts } from '../matching/matching-locks.util';
import { RecallMatcher } from '../matching/recall-matcher';
import { ImplantProjectionRepository } from './implant-projection.repository';

/**
 * Each implant fact updates the projection and matches its implant against the open recalls,
 * in the inbox's transaction: the projection, the matches and their events commit together.
 */
@Controller()
export class ImplantProjectionConsumer {
  constructor(
    @Inject(ImplantProjectionRepository) private readonly implants: ImplantProjectionRepository,
    @Inject(RecallMatcher) private readonly matcher: RecallMatcher,
  ) {}

  /**
   * A run of records (a theatre list, a rebuild) at once: its identifiers locked in one order,
   * one insert, one match against the open recalls. Locking each record's identifier as it
   * came held one lock while waiting for the next, so two partitions' runs sharing devices
   * deadlocked (8 times in the first 275,000 events of a rebuild).
   */
  @EventBatchPattern(EVENTS.implantRecordedV1.type)
  async onRecorded(@Payload() recorded: ImplantRecordedV1[], @Ctx() context: InboxBatchContext) {
    const tx = context.getTransaction();
    await lockForImplantFacts(
      tx,
      recorded.map((implant) => implant.udi.deviceIdentifier),
    );
    await this.implants.applyRecorded(tx, recorded);
    await this.matcher.matchImplants(
      tx,
      recorded.map((implant) => implant.implantId),
    );
  }

  @EventPattern(EVENTS.implantExplantedV1.type)
  async onExplanted(@Payload() explant: ImplantExplantedV1, @Ctx() context: InboxEventContext) {
    await this.applyStatus(context, {
      implantId: explant.implantId,
      hospitalOds: explant.hospitalOds,
      status: 'explanted',
      at: explant.explantedAt,
    });
  }

  @EventPattern(EVENTS.implantEnteredInErrorV1.type)
  async onEnteredInError(
    @Payload() correction: ImplantEnteredInErrorV1,
    @Ctx() context: InboxEventContext,
  ) {
    await this.applyStatus(context, {
      implantId: correction.implantId,
      hospitalOds: correction.hospitalOds,
      status: 'entered-in-error',
      at: correction.correctedAt,
    });
  }

  private async applyStatus(
    context: InboxEventContext,
    change: Parameters<ImplantProjectionRepository['applyStatus']>[1],
  ): Promise<void> {
    const tx = context.getTransaction();
    const identifier = await this.implants.identifierOf(tx, change.implantId);
    await lockForImplantFacts(tx, identifier === undefined ? [] : [identifier]);
    await this.implants.applyStatus(tx, change);
    await this.matcher.matchImplants(tx, [change.implantId]);
  }
}
