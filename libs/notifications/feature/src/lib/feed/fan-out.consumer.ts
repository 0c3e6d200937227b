import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import type {
  ImplantEnteredInErrorV1,
  ImplantExplantedV1,
  ImplantRecordedV1,
  RecallClosedV1,
  RecallIssuedV1,
  RecallMatchFoundV1,
  RecallMatchWithdrawnV1,
  RecallUpdatedV1,
} from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import { InboxEventContext } from '@implant-trace/platform-messaging';

import { FanOutUseCase } from './fan-out.use-case';

/**
 * Every delivered event into the feeds of the hospitals it is for. Matches and implant events
 * name their hospital; a recall notice carries no hospital and is public, so it goes to every
 * registered hospital, including those whose matches are only possible or still to come.
 */
@Controller()
export class FanOutConsumer {
  constructor(@Inject(FanOutUseCase) private readonly fanOut: FanOutUseCase) {}

  @EventPattern(EVENTS.recallMatchFoundV1.type)
  onMatchFound(@Payload() match: RecallMatchFoundV1, @Ctx() context: InboxEventContext) {
    return this.forHospital(
      context,
      EVENTS.recallMatchFoundV1.name,
      match.hospitalOds,
      match.recallId,
    );
  }

  @EventPattern(EVENTS.recallMatchWithdrawnV1.type)
  onMatchWithdrawn(@Payload() match: RecallMatchWithdrawnV1, @Ctx() context: InboxEventContext) {
    return this.forHospital(
      context,
      EVENTS.recallMatchWithdrawnV1.name,
      match.hospitalOds,
      match.recallId,
    );
  }

  @EventPattern(EVENTS.implantRecordedV1.type)
  onRecorded(@Payload() implant: ImplantRecordedV1, @Ctx() context: InboxEventContext) {
    return this.forHospital(context, EVENTS.implantRecordedV1.name, implant.hospitalOds, undefined);
  }

  @EventPattern(EVENTS.implantExplantedV1.type)
  onExplanted(@Payload() implant: ImplantExplantedV1, @Ctx() context: InboxEventContext) {
    return this.forHospital(
      context,
      EVENTS.implantExplantedV1.name,
      implant.hospitalOds,
      undefined,
    );
  }

  @EventPattern(EVENTS.implantEnteredInErrorV1.type)
  onEnteredInError(@Payload() implant: ImplantEnteredInErrorV1, @Ctx() context: InboxEventContext) {
    return this.forHospital(
      context,
      EVENTS.implantEnteredInErrorV1.name,
      implant.hospitalOds,
      undefined,
    );
  }

  @EventPattern(EVENTS.recallIssuedV1.type)
  onIssued(@Payload() recall: RecallIssuedV1, @Ctx() context: InboxEventContext) {
    return this.forEveryHospital(context, EVENTS.recallIssuedV1.name, recall.recallId);
  }

  @EventPattern(EVENTS.recallUpdatedV1.type)
  onUpdated(@Payload() recall: RecallUpdatedV1, @Ctx() context: InboxEventContext) {
    return this.forEveryHospital(context, EVENTS.recallUpdatedV1.name, recall.recallId);
  }

  @EventPattern(EVENTS.recallClosedV1.type)
  onClosed(@Payload() closed: RecallClosedV1, @Ctx() context: InboxEventContext) {
    return this.forEveryHospital(context, EVENTS.recallClosedV1.name, closed.recallId);
  }

  private forHospital(
    context: InboxEventContext,
    type: string,
    hospitalOds: string,
    recallId: string | undefined,
  ): Promise<void> {
    return this.fanOut.execute(context.getTransaction(), {
      envelope: context.getEnvelope(),
      type,
      hospitals: [hospitalOds],
      recallId,
    });
  }

  private forEveryHospital(context: InboxEventContext, type: string, recallId: string) {
    return this.fanOut.execute(context.getTransaction(), {
      envelope: context.getEnvelope(),
      type,
      hospitals: 'every-registered-hospital',
      recallId,
    });
  }
}
