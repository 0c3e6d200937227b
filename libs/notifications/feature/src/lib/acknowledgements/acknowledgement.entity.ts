import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { AcknowledgementStage } from '@implant-trace/notifications-domain';

/** Each stage a hospital reached for a recall, when and by whom; the furthest is current. */
@Entity({ name: 'acknowledgements' })
export class AcknowledgementEntity {
  @PrimaryColumn({ name: 'recall_id', type: 'uuid' })
  recallId!: string;

  @PrimaryColumn({ name: 'hospital_ods', type: 'text' })
  hospitalOds!: string;

  @PrimaryColumn({ type: 'text' })
  stage!: AcknowledgementStage;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz' })
  acknowledgedAt!: Date;

  @Column({ name: 'acknowledged_by', type: 'text' })
  acknowledgedBy!: string;
}
