import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { EventEnvelope } from '@implant-trace/contracts';
import type { Clock } from '@implant-trace/domain-kernel';
import { uuidV7 } from '@implant-trace/identifiers';

import { NOTIFICATIONS_CLOCK } from '../notifications.options';

/** Hospitals rarely have more endpoints than this for one event type. */
const DELIVERIES_IN_FIRST_ROUND_TRIP = 4;

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
    // to the end of the transaction), record the event under it, and create the deliveries of
    // its first few subscribers with identifiers made here; any further subscribers come back
    // and get theirs in a second statement of the same transaction.
    const ids = Array.from({ length: DELIVERIES_IN_FIRST_ROUND_TRIP }, () => uuidV7());
    const [row] = (await tx.query(
      `WITH numbered AS (
         INSERT INTO hospital_feeds (hospital_ods, last_sequence) VALUES ($1, 1)
         ON CONFLICT (hospital_ods) DO UPDATE SET last_sequence = hospital_feeds.last_sequence + 1
         RETURNING last_sequence),
       recorded AS (
         INSERT INTO feed_events
           (hospital_ods, sequence, event_id, type, source, time, subject, recall_id, data, recorded_at)
         SELECT $1, last_sequence, $2, $3, $4, $5, $6, $7, $8, $9 FROM numbered
         ON CONFLICT (hospital_ods, event_id) DO NOTHING RETURNING sequence),
       subscribers AS (
         SELECT subscription_id, row_number() OVER (ORDER BY subscription_id) AS n
           FROM subscriptions
          WHERE hospital_ods = $1 AND status = 'active' AND $3 = ANY(event_types)),
       delivered AS (
         INSERT INTO deliveries
           (delivery_id, subscription_id, hospital_ods, event_id, sequence, event_type, status,
            attempts, attempts_before_replay, next_attempt_at, created_at)
         SELECT ($10::uuid[])[s.n], s.subscription_id, $1, $2, r.sequence, $3, 'pending', 0, 0, $9, $9
           FROM subscribers s CROSS JOIN recorded r
          WHERE s.n <= cardinality($10::uuid[])
         ON CONFLICT (subscription_id, event_id) DO NOTHING)
       SELECT (SELECT last_sequence::text FROM numbered) AS taken,
              EXISTS (SELECT 1 FROM recorded) AS recorded,
              (SELECT coalesce(json_agg(subscription_id ORDER BY n), '[]'::json) FROM subscribers
                WHERE n > cardinality($10::uuid[])) AS remaining`,
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
        ids,
      ],
    )) as [{ taken: string; recorded: boolean; remaining: string[] }];
    if (!row.recorded) {
      // Already in this hospital's feed (the same event id sent again): the number goes back,
      // which no one else can have taken meanwhile, since this transaction holds the row.
      await tx.query(
        `UPDATE hospital_feeds SET last_sequence = last_sequence - 1 WHERE hospital_ods = $1`,
        [hospitalOds],
      );
      return;
    }
    const remaining = row.remaining;
    if (remaining.length === 0) return;
    await tx.query(
      `INSERT INTO deliveries
         (delivery_id, subscription_id, hospital_ods, event_id, sequence, event_type, status,
          attempts, attempts_before_replay, next_attempt_at, created_at)
       SELECT id, subscription_id, $3, $4, $5, $6, 'pending', 0, 0, $7, $7
         FROM unnest($1::uuid[], $2::uuid[]) AS t(id, subscription_id)
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      [
        remaining.map(() => uuidV7()),
        remaining,
        hospitalOds,
        envelope.id,
        Number(row.taken),
        command.type,
        now,
      ],
    );
  }
}
