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
  /** The hospitals the event is for, or every registered hospital (a recall notice). */
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
    const hospitals =
      command.hospitals === 'every-registered-hospital'
        ? (
            (await tx.query(
              `SELECT hospital_ods FROM hospital_feeds WHERE registered_at IS NOT NULL`,
            )) as {
              hospital_ods: string;
            }[]
          ).map((row) => row.hospital_ods)
        : [...command.hospitals];
    // One lock order for every consumer, so two events for the same hospitals cannot deadlock.
    hospitals.sort();
    for (const hospitalOds of hospitals) await this.recordFor(tx, hospitalOds, command);
  }

  private async recordFor(tx: EntityManager, hospitalOds: string, command: FanOutCommand) {
    const { envelope } = command;
    await tx.query(
      `INSERT INTO hospital_feeds (hospital_ods, last_sequence) VALUES ($1, 0) ON CONFLICT DO NOTHING`,
      [hospitalOds],
    );
    const [feed] = (await tx.query(
      `SELECT last_sequence::int8 AS last FROM hospital_feeds WHERE hospital_ods = $1 FOR UPDATE`,
      [hospitalOds],
    )) as [{ last: string }];
    const sequence = Number(feed.last) + 1;
    const now = this.clock.now();
    const inserted = (await tx.query(
      `INSERT INTO feed_events
         (hospital_ods, sequence, event_id, type, source, time, subject, recall_id, data, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (hospital_ods, event_id) DO NOTHING RETURNING sequence`,
      [
        hospitalOds,
        sequence,
        envelope.id,
        command.type,
        envelope.source,
        envelope.time,
        envelope.subject,
        command.recallId ?? null,
        JSON.stringify(envelope.data),
        now,
      ],
    )) as unknown[];
    // Already in this hospital's feed (the same event id sent again): no number is used.
    if (inserted.length === 0) return;
    await tx.query(`UPDATE hospital_feeds SET last_sequence = $2 WHERE hospital_ods = $1`, [
      hospitalOds,
      sequence,
    ]);
    const subscriptions = (await tx.query(
      `SELECT subscription_id FROM subscriptions
        WHERE hospital_ods = $1 AND status = 'active' AND $2 = ANY(event_types)`,
      [hospitalOds, command.type],
    )) as { subscription_id: string }[];
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
        subscriptions.map((s) => s.subscription_id),
        hospitalOds,
        envelope.id,
        sequence,
        command.type,
        now,
      ],
    );
  }
}
