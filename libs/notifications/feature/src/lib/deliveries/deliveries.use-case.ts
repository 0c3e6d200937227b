import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import {
  type Clock,
  ConflictError,
  InvalidInputError,
  NotFoundError,
} from '@implant-trace/domain-kernel';

import { NOTIFICATIONS_CLOCK } from '../notifications.options';
import type { DeliveryStatus } from './delivery.entity';

export interface AttemptView {
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode?: number;
  error?: string;
  outcome: string;
}

export interface DeliveryView {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  sequence: number;
  status: DeliveryStatus;
  attempts: AttemptView[];
  nextAttemptAt?: string;
  lastError?: string;
  createdAt: string;
  completedAt?: string;
}

interface DeliveryRow {
  delivery_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  sequence: string;
  status: DeliveryStatus;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  completed_at: Date | null;
}

interface AttemptRow {
  delivery_id: string;
  attempt_number: number;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  outcome: string;
}

/** A hospital's deliveries with every attempt, and replays of those that did not arrive. */
@Injectable()
export class DeliveriesUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
  ) {}

  async list(
    hospitalOds: string,
    filter: { subscriptionId?: string; status?: DeliveryStatus; limit: number; cursor?: string },
  ): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM deliveries
        WHERE hospital_ods = $1
          AND ($2::uuid IS NULL OR subscription_id = $2)
          AND ($3::text IS NULL OR status = $3)
          AND ($4::uuid IS NULL OR delivery_id < $4)
        ORDER BY delivery_id DESC
        LIMIT $5`,
      [
        hospitalOds,
        filter.subscriptionId ?? null,
        filter.status ?? null,
        filter.cursor ?? null,
        filter.limit + 1,
      ],
    )) as DeliveryRow[];
    const page = rows.slice(0, filter.limit);
    return {
      items: await this.withAttempts(page),
      nextCursor: rows.length > filter.limit ? (page.at(-1)?.delivery_id ?? null) : null,
    };
  }

  async get(hospitalOds: string, deliveryId: string): Promise<DeliveryView> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM deliveries WHERE delivery_id = $1 AND hospital_ods = $2`,
      [deliveryId, hospitalOds],
    )) as DeliveryRow[];
    const [view] = await this.withAttempts(rows);
    if (view === undefined) throw new NotFoundError(`No delivery ${deliveryId}`);
    return view;
  }

  /** Sends a delivery again with a fresh schedule; its earlier attempts stay listed. */
  async replay(hospitalOds: string, deliveryId: string): Promise<DeliveryView> {
    const now = this.clock.now();
    const replayed = (await this.dataSource.query(
      `UPDATE deliveries d
          SET status = 'pending', next_attempt_at = $3, completed_at = NULL, lease_until = NULL,
              leased_by = NULL, attempts_before_replay = d.attempts
         FROM subscriptions s
        WHERE d.delivery_id = $1 AND d.hospital_ods = $2 AND s.subscription_id = d.subscription_id
          AND s.status = 'active' AND d.status IN ('failed', 'delivered')
        RETURNING d.delivery_id`,
      [deliveryId, hospitalOds, now],
    )) as [unknown[], number];
    if (replayed[1] === 0) {
      const current = await this.get(hospitalOds, deliveryId);
      throw new ConflictError(
        current.status === 'pending'
          ? 'The delivery is still being attempted'
          : 'The delivery’s subscription is no longer active',
      );
    }
    return this.get(hospitalOds, deliveryId);
  }

  /** "All failed since T": the hospital's failed deliveries to active subscriptions. */
  async replayFailedSince(
    hospitalOds: string,
    failedSince: string,
    subscriptionId: string | undefined,
  ): Promise<{ replayed: number }> {
    const since = new Date(failedSince);
    if (Number.isNaN(since.getTime())) {
      throw new InvalidInputError('failedSince is not a time', [
        { field: 'failedSince', message: 'failedSince must be an ISO 8601 time' },
      ]);
    }
    const [, replayed] = (await this.dataSource.query(
      `UPDATE deliveries d
          SET status = 'pending', next_attempt_at = $3, completed_at = NULL, lease_until = NULL,
              leased_by = NULL, attempts_before_replay = d.attempts
         FROM subscriptions s
        WHERE d.hospital_ods = $1 AND d.status = 'failed' AND d.completed_at >= $2
          AND ($4::uuid IS NULL OR d.subscription_id = $4)
          AND s.subscription_id = d.subscription_id AND s.status = 'active'`,
      [hospitalOds, since, this.clock.now(), subscriptionId ?? null],
    )) as [unknown[], number];
    return { replayed };
  }

  private async withAttempts(rows: DeliveryRow[]): Promise<DeliveryView[]> {
    if (rows.length === 0) return [];
    const attempts = (await this.dataSource.query(
      `SELECT * FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[])
        ORDER BY delivery_id, attempt_number`,
      [rows.map((row) => row.delivery_id)],
    )) as AttemptRow[];
    const byDelivery = new Map<string, AttemptView[]>();
    for (const attempt of attempts) {
      const list = byDelivery.get(attempt.delivery_id) ?? [];
      list.push({
        attempt: attempt.attempt_number,
        startedAt: attempt.started_at.toISOString(),
        durationMs: attempt.duration_ms,
        ...(attempt.status_code === null ? {} : { statusCode: attempt.status_code }),
        ...(attempt.error === null ? {} : { error: attempt.error }),
        outcome: attempt.outcome,
      });
      byDelivery.set(attempt.delivery_id, list);
    }
    return rows.map((row) => ({
      id: row.delivery_id,
      subscriptionId: row.subscription_id,
      eventId: row.event_id,
      eventType: row.event_type,
      sequence: Number(row.sequence),
      status: row.status,
      attempts: byDelivery.get(row.delivery_id) ?? [],
      ...(row.status === 'pending' ? { nextAttemptAt: row.next_attempt_at.toISOString() } : {}),
      ...(row.last_error === null ? {} : { lastError: row.last_error }),
      createdAt: row.created_at.toISOString(),
      ...(row.completed_at === null ? {} : { completedAt: row.completed_at.toISOString() }),
    }));
  }
}
