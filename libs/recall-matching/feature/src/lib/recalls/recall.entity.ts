import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { RecallDetailsValue } from '@implant-trace/contracts';

/** A recall as last published (`details` is the payload of its latest event). */
@Entity({ name: 'recalls' })
@Index('recalls_open', ['issuedAt'], { where: `status = 'open'` })
export class RecallEntity {
  @PrimaryColumn({ name: 'recall_id', type: 'uuid' })
  recallId!: string;

  @Column({ type: 'text' })
  status!: 'open' | 'closed';

  @Column({ type: 'jsonb' })
  details!: RecallDetailsValue;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
