import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { AcknowledgementStage } from '@implant-trace/recall-matching-domain';

/** A hospital's latest acknowledgement of a recall. */
@Entity({ name: 'acknowledgements' })
export class AcknowledgementEntity {
  @PrimaryColumn({ name: 'recall_id', type: 'uuid' })
  recallId!: string;

  @PrimaryColumn({ name: 'hospital_ods', type: 'text' })
  hospitalOds!: string;

  @Column({ type: 'text' })
  stage!: AcknowledgementStage;

  @Column({ name: 'acknowledged_at', type: 'timestamptz' })
  acknowledgedAt!: Date;
}
