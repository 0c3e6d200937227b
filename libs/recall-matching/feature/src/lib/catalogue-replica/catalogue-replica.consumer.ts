import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import type { DeviceRecordValue } from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import { InboxEventContext } from '@implant-trace/platform-messaging';

import { lockForImplantFacts } from '../matching/matching-locks.util';
import { RecallMatcher } from '../matching/recall-matcher';
import { CatalogueReplicaRepository } from './catalogue-replica.repository';

/**
 * Both device events carry the whole record, so each is applied the same way; a device record
 * that arrives after its implants (or changes what they resolve to) matches them again.
 */
@Controller()
export class CatalogueReplicaConsumer {
  constructor(
    @Inject(CatalogueReplicaRepository) private readonly replica: CatalogueReplicaRepository,
    @Inject(RecallMatcher) private readonly matcher: RecallMatcher,
  ) {}

  @EventPattern(EVENTS.deviceRegisteredV1.type)
  async onRegistered(@Payload() record: DeviceRecordValue, @Ctx() context: InboxEventContext) {
    await this.apply(record, context);
  }

  @EventPattern(EVENTS.deviceUpdatedV1.type)
  async onUpdated(@Payload() record: DeviceRecordValue, @Ctx() context: InboxEventContext) {
    await this.apply(record, context);
  }

  private async apply(record: DeviceRecordValue, context: InboxEventContext): Promise<void> {
    const tx = context.getTransaction();
    const [previous] = (await tx.query(
      `SELECT coalesce(array_agg(device_identifier), '{}') AS identifiers
       FROM catalogue_identifiers WHERE device_id = $1`,
      [record.deviceId],
    )) as { identifiers: string[] }[];
    await lockForImplantFacts(tx, [
      ...record.identifiers.map((identifier) => identifier.deviceIdentifier),
      ...(previous?.identifiers ?? []),
    ]);
    const applied = await this.replica.apply(tx, record);
    await this.matcher.matchIdentifiers(tx, applied.touchedIdentifiers);
  }
}
