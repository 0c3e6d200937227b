import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type SubscriptionStatus = 'active' | 'disabled' | 'deleted';

@Entity({ name: 'subscriptions' })
@Index('subscriptions_by_hospital', ['hospitalOds', 'subscriptionId'])
export class SubscriptionEntity {
  @PrimaryColumn({ name: 'subscription_id', type: 'uuid' })
  subscriptionId!: string;

  @Column({ name: 'hospital_ods', type: 'text' })
  hospitalOds!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes!: string[];

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Kept in the clear: an HMAC key must be at hand to sign; never returned after creation. */
  @Column({ type: 'text' })
  secret!: string;

  /** The secret before the last rotation, which also signs until the grace period ends. */
  @Column({ name: 'previous_secret', type: 'text', nullable: true })
  previousSecret!: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;

  @Column({ type: 'text' })
  status!: SubscriptionStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ name: 'consecutive_failures', type: 'integer' })
  consecutiveFailures!: number;

  @Column({ name: 'circuit_open_until', type: 'timestamptz', nullable: true })
  circuitOpenUntil!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
