import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';

import type { DeviceRecordValue } from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import { EventBatchPattern, InboxBatchContext } from '@implant-trace/platform-messaging';

import { lockForImplantFacts } from '../matching/matching-locks.util';
import { RecallMatcher } from '../matching/recall-matcher';
import { CatalogueReplicaRepository } from './catalogue-replica.repository';

/**
 * Both device events carry the whole record, so each is applied the same way; a device record
 * that arrives after its implants (or changes what they resolve to) matches them again. A run
 * of records (a catalogue import, a rebuild) is applied in order and its implants matched
 * once, against the records as the run left them: per open recall one query for the run
 * rather than one per record, and no match found and withdrawn again within it.
 */
@Controller()
export class CatalogueReplicaConsumer {
  constructor(
    @Inject(CatalogueReplicaRepository) private readonly replica: CatalogueReplicaRepository,
    @Inject(RecallMatcher) private readonly matcher: RecallMatcher,
  ) {}

  @EventBatchPattern(EVENTS.deviceRegisteredV1.type)
  async onRegistered(@Payload() records: DeviceRecordValue[], @Ctx() context: InboxBatchContext) {
    await this.apply(records, context.getTransaction());
  }

  @EventBatchPattern(EVENTS.deviceUpdatedV1.type)
  async onUpdated(@Payload() records: DeviceRecordValue[], @Ctx() context: InboxBatchContext) {
    await this.apply(records, context.getTransaction());
  }

  private async apply(records: readonly DeviceRecordValue[], tx: EntityManager): Promise<void> {
    const [previous] = (await tx.query(
      `SELECT coalesce(array_agg(device_identifier), '{}') AS identifiers
       FROM catalogue_identifiers WHERE device_id = ANY($1::uuid[])`,
      [records.map((record) => record.deviceId)],
    )) as { identifiers: string[] }[];
    // Every identifier of the run at once: the locks are taken in one order, whatever the run.
    await lockForImplantFacts(tx, [
      ...records.flatMap((record) => record.identifiers.map((i) => i.deviceIdentifier)),
      ...(previous?.identifiers ?? []),
    ]);
    const touched = new Set<string>();
    for (const record of records) {
      const applied = await this.replica.apply(tx, record);
      for (const identifier of applied.touchedIdentifiers) touched.add(identifier);
    }
    await this.matcher.matchIdentifiers(tx, [...touched]);
  }
}
