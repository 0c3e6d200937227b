import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

const bigintAsNumber = {
  to: (value: number) => value,
  from: (value: string) => Number(value),
};

/** The next number of a hospital's sequence; its row lock keeps the numbers gapless. */
@Entity({ name: 'hospital_feeds' })
export class HospitalFeedEntity {
  @PrimaryColumn({ name: 'hospital_ods', type: 'text' })
  hospitalOds!: string;

  @Column({ name: 'last_sequence', type: 'bigint', transformer: bigintAsNumber })
  lastSequence!: number;

  /** When the hospital first subscribed: from then on recall notices reach its feed. */
  @Column({ name: 'registered_at', type: 'timestamptz', nullable: true })
  registeredAt!: Date | null;
}

/** One event as a hospital sees it, numbered in that hospital's sequence. */
@Entity({ name: 'feed_events' })
@Index('feed_events_once', ['hospitalOds', 'eventId'], { unique: true })
@Index('feed_events_by_recall', ['hospitalOds', 'recallId'])
export class FeedEventEntity {
  @PrimaryColumn({ name: 'hospital_ods', type: 'text' })
  hospitalOds!: string;

  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  sequence!: number;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  /** The event type as subscribers name it (`recall.match.found`), without its version. */
  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'timestamptz' })
  time!: Date;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'recall_id', type: 'uuid', nullable: true })
  recallId!: string | null;

  @Column({ type: 'jsonb' })
  data!: object;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}

export { bigintAsNumber };
