import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { RecallClosedV1, RecallDetailsValue } from '@implant-trace/contracts';
import type { ActiveRecall } from '@implant-trace/implant-events-domain';

/** The recall index in this service's schema, fed by `recall-matching.recalls.v1`. */
@Injectable()
export class RecallIndexRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** An issued or updated recall; a change older than the one held is ignored. */
  async applyDetails(tx: EntityManager, details: RecallDetailsValue, changedAt: string) {
    const recall: ActiveRecall = {
      recallId: details.recallId,
      title: details.title,
      class: details.class,
      criteria: details.criteria,
    };
    await tx.query(
      `INSERT INTO recall_index (recall_id, status, changed_at, recall) VALUES ($1, $2, $3, $4)
       ON CONFLICT (recall_id) DO UPDATE
         SET status = EXCLUDED.status, changed_at = EXCLUDED.changed_at, recall = EXCLUDED.recall
         WHERE recall_index.changed_at <= EXCLUDED.changed_at`,
      [details.recallId, details.status, changedAt, JSON.stringify(recall)],
    );
  }

  async applyClosed(tx: EntityManager, closed: RecallClosedV1): Promise<void> {
    await tx.query(
      `INSERT INTO recall_index (recall_id, status, changed_at, recall) VALUES ($1, 'closed', $2, NULL)
       ON CONFLICT (recall_id) DO UPDATE SET status = 'closed', changed_at = EXCLUDED.changed_at
         WHERE recall_index.changed_at <= EXCLUDED.changed_at`,
      [closed.recallId, closed.closedAt],
    );
  }

  async openRecalls(): Promise<ActiveRecall[]> {
    const rows = (await this.dataSource.query(
      `SELECT recall FROM recall_index WHERE status = 'open' AND recall IS NOT NULL ORDER BY recall_id`,
    )) as { recall: ActiveRecall }[];
    return rows.map((row) => row.recall);
  }
}
