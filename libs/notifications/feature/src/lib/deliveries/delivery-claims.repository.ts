import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { AttemptDecision } from '@implant-trace/notifications-domain';

/** A delivery a worker holds the lease of, with what it needs to send it. */
export interface ClaimedDelivery {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  /** This attempt's number over the delivery's whole life. */
  attemptNumber: number;
  /** This attempt's number since the last replay: where it is in the retry schedule. */
  scheduleAttempt: number;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  body: string;
}

export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  decision: AttemptDecision;
  /** Until when the endpoint is left alone after this failure, if its circuit opens. */
  circuitOpenUntil?: (consecutiveFailures: number) => Date | undefined;
}

interface ClaimRow {
  delivery_id: string;
  subscription_id: string;
  event_id: string;
  attempts: number;
  attempts_before_replay: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  hospital_ods: string;
  sequence: string;
  type: string;
  source: string;
  time: Date;
  subject: string;
  data: object;
}

/**
 * PostgreSQL is the queue. A claim locks the endpoints with due work (FOR NO KEY UPDATE SKIP
 * LOCKED, so instances share endpoints instead of waiting), counts what each already has in
 * flight under that lock, and leases at most the rest of its per-endpoint allowance. A lease
 * that runs out (its worker died mid-send) makes the row claimable again; nothing but a 2xx
 * marks a delivery done.
 */
@Injectable()
export class DeliveryClaimsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async claim(options: {
    workerId: string;
    now: Date;
    max: number;
    perEndpoint: number;
    leaseMs: number;
  }): Promise<ClaimedDelivery[]> {
    const { workerId, now, max, perEndpoint, leaseMs } = options;
    return this.dataSource.transaction(async (tx) => {
      const endpoints = (await tx.query(
        `SELECT s.subscription_id FROM subscriptions s
          WHERE s.status = 'active'
            AND (s.circuit_open_until IS NULL OR s.circuit_open_until <= $1)
            AND EXISTS (
              SELECT 1 FROM deliveries d
               WHERE d.subscription_id = s.subscription_id AND d.status = 'pending'
                 AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1))
          ORDER BY random()
          LIMIT $2
          FOR NO KEY UPDATE OF s SKIP LOCKED`,
        [now, Math.max(max, 1)],
      )) as { subscription_id: string }[];
      if (endpoints.length === 0) return [];
      const rows = (await tx.query(
        `WITH picked AS (
           SELECT c.delivery_id FROM unnest($1::uuid[]) AS e(subscription_id)
           CROSS JOIN LATERAL (
             SELECT d.delivery_id, d.next_attempt_at FROM deliveries d
              WHERE d.subscription_id = e.subscription_id AND d.status = 'pending'
                AND d.next_attempt_at <= $2 AND (d.lease_until IS NULL OR d.lease_until <= $2)
              ORDER BY d.next_attempt_at
              LIMIT greatest(0, $3 - (
                SELECT count(*) FROM deliveries f
                 WHERE f.subscription_id = e.subscription_id AND f.status = 'pending'
                   AND f.lease_until > $2))
              FOR UPDATE SKIP LOCKED) c
           ORDER BY c.next_attempt_at
           LIMIT $4),
         leased AS (
           UPDATE deliveries d
              SET attempts = d.attempts + 1, leased_by = $5,
                  lease_until = $2::timestamptz + make_interval(secs => $6::double precision / 1000)
             FROM picked WHERE d.delivery_id = picked.delivery_id
           RETURNING d.*)
         SELECT l.delivery_id, l.subscription_id, l.event_id, l.attempts, l.attempts_before_replay,
                s.url, s.secret, s.previous_secret, s.previous_secret_expires_at,
                f.hospital_ods, f.sequence::text AS sequence, f.type, f.source, f.time, f.subject, f.data
           FROM leased l
           JOIN subscriptions s ON s.subscription_id = l.subscription_id
           JOIN feed_events f ON f.hospital_ods = l.hospital_ods AND f.sequence = l.sequence`,
        [endpoints.map((e) => e.subscription_id), now, perEndpoint, max, workerId, leaseMs],
      )) as ClaimRow[];
      return rows.map((row) => ({
        deliveryId: row.delivery_id,
        subscriptionId: row.subscription_id,
        eventId: row.event_id,
        attemptNumber: row.attempts,
        scheduleAttempt: row.attempts - row.attempts_before_replay,
        url: row.url,
        secret: row.secret,
        previousSecret: row.previous_secret,
        previousSecretExpiresAt: row.previous_secret_expires_at,
        body: JSON.stringify({
          specversion: '1.0',
          id: row.event_id,
          type: row.type,
          source: row.source,
          time: new Date(row.time).toISOString(),
          subject: row.subject,
          sequence: Number(row.sequence),
          data: row.data,
        }),
      }));
    });
  }

  /**
   * The attempt, kept whatever happened, and the delivery's next state. A 2xx marks the
   * delivery delivered even if its lease ran out meanwhile (the endpoint has it); any other
   * result only changes a delivery this worker still holds.
   */
  async record(claim: ClaimedDelivery, workerId: string, attempt: AttemptRecord): Promise<void> {
    const { decision } = attempt;
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO delivery_attempts
           (delivery_id, attempt_number, started_at, duration_ms, status_code, error, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [
          claim.deliveryId,
          claim.attemptNumber,
          attempt.startedAt,
          attempt.durationMs,
          attempt.statusCode,
          attempt.error,
          decision.kind,
        ],
      );
      const finishedAt = new Date(attempt.startedAt.getTime() + attempt.durationMs);
      switch (decision.kind) {
        case 'delivered':
          await tx.query(
            `UPDATE deliveries SET status = 'delivered', completed_at = $2, lease_until = NULL,
                    leased_by = NULL, last_error = NULL
              WHERE delivery_id = $1 AND status = 'pending'`,
            [claim.deliveryId, finishedAt],
          );
          await tx.query(
            `UPDATE subscriptions SET consecutive_failures = 0, circuit_open_until = NULL
              WHERE subscription_id = $1 AND (consecutive_failures > 0 OR circuit_open_until IS NOT NULL)`,
            [claim.subscriptionId],
          );
          return;
        case 'retry':
          await tx.query(
            `UPDATE deliveries SET next_attempt_at = $3, lease_until = NULL, leased_by = NULL,
                    last_error = $4
              WHERE delivery_id = $1 AND leased_by = $2 AND status = 'pending'`,
            [claim.deliveryId, workerId, decision.at, attempt.error],
          );
          break;
        case 'failed':
          await tx.query(
            `UPDATE deliveries SET status = 'failed', completed_at = $3, lease_until = NULL,
                    leased_by = NULL, last_error = $4
              WHERE delivery_id = $1 AND leased_by = $2 AND status = 'pending'`,
            [claim.deliveryId, workerId, finishedAt, decision.reason],
          );
          break;
        case 'disable':
          await tx.query(
            `UPDATE deliveries SET status = 'failed', completed_at = $2, lease_until = NULL,
                    leased_by = NULL, last_error = $3
              WHERE delivery_id = $1 AND status = 'pending'`,
            [claim.deliveryId, finishedAt, decision.reason],
          );
          await tx.query(
            `UPDATE subscriptions SET status = 'disabled', status_reason = $2, updated_at = $3
              WHERE subscription_id = $1 AND status = 'active'`,
            [claim.subscriptionId, decision.reason, finishedAt],
          );
          return;
      }
      // An UPDATE answers [rows, count].
      const [[counted]] = (await tx.query(
        `UPDATE subscriptions SET consecutive_failures = consecutive_failures + 1
          WHERE subscription_id = $1 RETURNING consecutive_failures`,
        [claim.subscriptionId],
      )) as [[{ consecutive_failures: number }?], number];
      const openUntil =
        counted === undefined
          ? undefined
          : attempt.circuitOpenUntil?.(counted.consecutive_failures);
      if (openUntil !== undefined) {
        await tx.query(
          `UPDATE subscriptions SET circuit_open_until = $2 WHERE subscription_id = $1`,
          [claim.subscriptionId, openUntil],
        );
      }
    });
  }
}
