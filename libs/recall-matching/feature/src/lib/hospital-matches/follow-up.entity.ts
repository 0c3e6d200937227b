import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { FOLLOW_UP_OUTCOMES } from '@implant-trace/contracts';

/** One outcome a hospital recorded for one match; never changed. */
@Entity({ name: 'follow_ups' })
@Index('follow_ups_by_match', ['matchId'])
export class FollowUpEntity {
  @PrimaryColumn({ name: 'follow_up_id', type: 'uuid' })
  followUpId!: string;

  @Column({ name: 'match_id', type: 'uuid' })
  matchId!: string;

  @Column({ type: 'text' })
  outcome!: (typeof FOLLOW_UP_OUTCOMES)[number];

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy!: string;
}
