import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { EventEnvelope } from '@implant-trace/contracts';
import type { Clock } from '@implant-trace/domain-kernel';
import { uuidV7 } from '@implant-trace/identifiers';

import { NOTIFICATIONS_CLOCK } from '../notifications.options';

export interface FanOutCommand {
  envelope: EventEnvelope<object>;
  /** The name subscribers use (`recall.match.found`). */
  type: string;
  /**
   * The hospitals the event is for, or every hospital registered by the time the event happened
   * (a recall notice).
   */
  hospitals: readonly string[] | 'every-registered-hospital';
  recallId: string | undefined;
}

/**
 * Numbers an event in each addressed hospital's sequence and creates one delivery per matching
 * subscription, in the consumer's inbox transaction: the event is fanned out exactly once, and a
 * rollback leaves neither a number nor a delivery behind, so the sequence has no gaps.
 */
@Injectable()
export class FanOutUseCase {
  constructor(@Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock) {}

  async execute(tx: EntityManager, command: FanOutCommand): Promise<void> {
    // The audience is fixed by the notice's own time, not by when this service applies it: a
    // service catching up on history (a fresh one reads its topics from the start) would
    // otherwise hand every old notice to hospitals that registered a moment ago.
    const hospitals =
      command.hospitals === 'every-registered-hospital'
        ? (
            (await tx.query(`SELECT hospital_ods FROM hospital_feeds WHERE registered_at <= $1`, [
              command.envelope.time,
            ])) as { hospital_ods: string }[]
          ).map((row) => row.hospital_ods)
        : [...command.hospitals];
    // One lock order for every consumer, so two events for the same hospitals cannot deadlock.
    hospitals.sort();
    for (const hospitalOds of hospitals) await this.recordFor(tx, hospitalOds, command);
  }

  private async recordFor(tx: EntityManager, hospitalOds: string, command: FanOutCommand) {
    const { envelope } = command;
    const now = this.clock.now();
    // One round trip for the common case: take the hospital's next number (its row stays locked
    // to the end of the transaction), record the event under it, and read who subscribes.
    const [row] = (await tx.query(
      `WITH numbered AS (
         INSERT INTO hospital_feeds (hospital_ods, last_sequence) VALUES ($1, 1)
         ON CONFLICT (hospital_ods) DO UPDATE SET last_sequence = hospital_feeds.last_sequence + 1
         RETURNING last_sequence),
       recorded AS (
         INSERT INTO feed_events
           (hospital_ods, sequence, event_id, type, source, time, subject, recall_id, data, recorded_at)
         SELECT $1, last_sequence, $2, $3, $4, $5, $6, $7, $8, $9 FROM numbered
         ON CONFLICT (hospital_ods, event_id) DO NOTHING RETURNING sequence)
       SELECT (SELECT last_sequence::text FROM numbered) AS taken,
              EXISTS (SELECT 1 FROM recorded) AS recorded,
              (SELECT coalesce(json_agg(subscription_id), '[]'::json) FROM subscriptions
                WHERE hospital_ods = $1 AND status = 'active' AND $3 = ANY(event_types)) AS subscriptions`,
      [
        hospitalOds,
        envelope.id,
        command.type,
        envelope.source,
        envelope.time,
        envelope.subject,
        command.recallId ?? null,
        JSON.stringify(envelope.data),
        now,
      ],
    )) as [{ taken: string; recorded: boolean; subscriptions: string[] }];
    if (!row.recorded) {
      // Already in this hospital's feed (the same event id sent again): the number goes back,
      // which no one else can have taken meanwhile, since this transaction holds the row.
      await tx.query(
        `UPDATE hospital_feeds SET last_sequence = last_sequence - 1 WHERE hospital_ods = $1`,
        [hospitalOds],
      );
      return;
    }
    const sequence = Number(row.taken);
    const subscriptions = row.subscriptions;
    if (subscriptions.length === 0) return;
    await tx.query(
      `INSERT INTO deliveries
         (delivery_id, subscription_id, hospital_ods, event_id, sequence, event_type, status,
          attempts, attempts_before_replay, next_attempt_at, created_at)
       SELECT id, subscription_id, $3, $4, $5, $6, 'pending', 0, 0, $7, $7
         FROM unnest($1::uuid[], $2::uuid[]) AS t(id, subscription_id)
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      [
        subscriptions.map(() => uuidV7()),
        subscriptions,
        hospitalOds,
        envelope.id,
        sequence,
        command.type,
        now,
      ],
    );
  }
}
