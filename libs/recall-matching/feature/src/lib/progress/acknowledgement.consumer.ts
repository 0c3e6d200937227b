import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import type { RecallAcknowledgedV1 } from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import { InboxEventContext } from '@implant-trace/platform-messaging';

/** The latest acknowledgement of each hospital: an older one arriving late changes nothing. */
@Controller()
export class AcknowledgementConsumer {
  @EventPattern(EVENTS.recallAcknowledgedV1.type)
  async onAcknowledged(
    @Payload() acknowledgement: RecallAcknowledgedV1,
    @Ctx() context: InboxEventContext,
  ): Promise<void> {
    await context.getTransaction().query(
      `INSERT INTO acknowledgements (recall_id, hospital_ods, stage, acknowledged_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (recall_id, hospital_ods) DO UPDATE
         SET stage = EXCLUDED.stage, acknowledged_at = EXCLUDED.acknowledged_at
         WHERE acknowledgements.acknowledged_at <= EXCLUDED.acknowledged_at`,
      [
        acknowledgement.recallId,
        acknowledgement.hospitalOds,
        acknowledgement.stage,
        acknowledgement.acknowledgedAt,
      ],
    );
  }
}
