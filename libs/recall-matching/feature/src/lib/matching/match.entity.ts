import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { FOLLOW_UP_OUTCOMES } from '@implant-trace/contracts';
import type { MatchKind, WithdrawalCause } from '@implant-trace/recall-matching-domain';

/** One implant under one recall; withdrawn rows are kept, so a match keeps its id. */
@Entity({ name: 'matches' })
@Index('matches_by_recall_implant', ['recallId', 'implantId'], { unique: true })
@Index('matches_by_implant', ['implantId'])
@Index('matches_by_recall_hospital', ['recallId', 'hospitalOds', 'matchId'])
export class MatchEntity {
  @PrimaryColumn({ name: 'match_id', type: 'uuid' })
  matchId!: string;

  @Column({ name: 'recall_id', type: 'uuid' })
  recallId!: string;

  @Column({ name: 'implant_id', type: 'uuid' })
  implantId!: string;

  @Column({ name: 'hospital_ods', type: 'text' })
  hospitalOds!: string;

  @Column({ type: 'text' })
  kind!: MatchKind;

  @Column({ type: 'boolean' })
  live!: boolean;

  @Column({ name: 'found_at', type: 'timestamptz' })
  foundAt!: Date;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @Column({ name: 'withdrawal_reason', type: 'text', nullable: true })
  withdrawalReason!: WithdrawalCause | null;

  /** The latest follow-up outcome the hospital recorded (follow_ups holds them all). */
  @Column({ name: 'follow_up_outcome', type: 'text', nullable: true })
  followUpOutcome!: (typeof FOLLOW_UP_OUTCOMES)[number] | null;

  @Column({ name: 'follow_up_at', type: 'timestamptz', nullable: true })
  followUpAt!: Date | null;
}
