import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { bigintAsNumber } from '../feed/feed-event.entity';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

@Entity({ name: 'deliveries' })
@Index('deliveries_once', ['subscriptionId', 'eventId'], { unique: true })
@Index('deliveries_due', ['subscriptionId', 'nextAttemptAt'], { where: `status = 'pending'` })
@Index('deliveries_by_hospital', ['hospitalOds', 'deliveryId'])
@Index('deliveries_failed', ['hospitalOds', 'completedAt'], { where: `status = 'failed'` })
export class DeliveryEntity {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @Column({ name: 'hospital_ods', type: 'text' })
  hospitalOds!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  sequence!: number;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text' })
  status!: DeliveryStatus;

  /** Attempts started, counted when claimed: a worker killed mid-send still used one. */
  @Column({ type: 'integer' })
  attempts!: number;

  /** Attempts made before the last replay: the schedule restarts after them. */
  @Column({ name: 'attempts_before_replay', type: 'integer', default: 0 })
  attemptsBeforeReplay!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** While in the future, a worker is sending; afterwards anyone may claim the row again. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'leased_by', type: 'text', nullable: true })
  leasedBy!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}

@Entity({ name: 'delivery_attempts' })
export class DeliveryAttemptEntity {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  @PrimaryColumn({ name: 'attempt_number', type: 'integer' })
  attemptNumber!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'text' })
  outcome!: string;
}
