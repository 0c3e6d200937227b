import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { ActiveRecall } from '@implant-trace/implant-events-domain';

/**
 * The recall index's truth (Redis only caches the open ones). A closed recall keeps its row,
 * so an older `issued` or `updated` replayed after the close cannot reopen it.
 */
@Entity({ name: 'recall_index' })
export class RecallIndexEntity {
  @PrimaryColumn({ name: 'recall_id', type: 'uuid' })
  recallId!: string;

  @Column({ type: 'text' })
  status!: 'open' | 'closed';

  /** When the regulator last changed the recall: a change older than this is ignored. */
  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  /** Null for a recall whose close is the first event seen of it. */
  @Column({ type: 'jsonb', nullable: true })
  recall!: ActiveRecall | null;
}
