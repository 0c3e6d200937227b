import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import type { DeviceRecordValue } from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import { InboxEventContext } from '@implant-trace/platform-messaging';

import { CatalogueReplicaRepository } from './catalogue-replica.repository';

/** Both device events carry the whole record, so each is applied the same way. */
@Controller()
export class CatalogueReplicaConsumer {
  constructor(
    @Inject(CatalogueReplicaRepository) private readonly replica: CatalogueReplicaRepository,
  ) {}

  @EventPattern(EVENTS.deviceRegisteredV1.type)
  async onRegistered(
    @Payload() record: DeviceRecordValue,
    @Ctx() context: InboxEventContext,
  ): Promise<void> {
    await this.replica.apply(context.getTransaction(), record);
  }

  @EventPattern(EVENTS.deviceUpdatedV1.type)
  async onUpdated(
    @Payload() record: DeviceRecordValue,
    @Ctx() context: InboxEventContext,
  ): Promise<void> {
    await this.replica.apply(context.getTransaction(), record);
  }
}
