import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { RecallNotFoundError } from '@implant-trace/recall-matching-domain';

import { RecallEntity } from './recall.entity';
import { recallViewOf, type RecallView } from './recall-view';

const NO_MATCHES: RecallView['matches'] = { matched: 0, possible: 0 };

/** Reads of recalls and their live match counts. */
@Injectable()
export class RecallsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async lock(tx: EntityManager, recallId: string): Promise<RecallEntity> {
    const recall = await tx.findOne(RecallEntity, {
      where: { recallId },
      lock: { mode: 'pessimistic_write' },
    });
    if (recall === null) throw new RecallNotFoundError(recallId);
    return recall;
  }

  async view(recallId: string, tx: EntityManager = this.dataSource.manager): Promise<RecallView> {
    const recall = await tx.findOne(RecallEntity, { where: { recallId } });
    if (recall === null) throw new RecallNotFoundError(recallId);
    const counts = await this.liveCounts(tx, [recallId]);
    return recallViewOf(recall, counts.get(recallId) ?? NO_MATCHES);
  }

  /** Newest first; a hospital sees only the recalls that have matched one of its implants. */
  async list(hospitalOds: string | undefined): Promise<RecallView[]> {
    const recalls = (await this.dataSource.manager.query(
      `SELECT recall_id FROM recalls r
       WHERE $1::text IS NULL
          OR EXISTS (SELECT 1 FROM matches m WHERE m.recall_id = r.recall_id AND m.hospital_ods = $1)
       ORDER BY issued_at DESC, recall_id`,
      [hospitalOds ?? null],
    )) as { recall_id: string }[];
    const ids = recalls.map((row) => row.recall_id);
    const entities = await this.dataSource.manager.find(RecallEntity, {
      where: ids.map((recallId) => ({ recallId })),
    });
    const counts = await this.liveCounts(this.dataSource.manager, ids);
    const order = new Map(ids.map((id, index) => [id, index]));
    return entities
      .sort((a, b) => (order.get(a.recallId) ?? 0) - (order.get(b.recallId) ?? 0))
      .map((entity) => recallViewOf(entity, counts.get(entity.recallId) ?? NO_MATCHES));
  }

  async affects(recallId: string, hospitalOds: string): Promise<boolean> {
    const rows = (await this.dataSource.manager.query(
      `SELECT 1 FROM matches WHERE recall_id = $1 AND hospital_ods = $2 LIMIT 1`,
      [recallId, hospitalOds],
    )) as unknown[];
    return rows.length > 0;
  }

  async liveCounts(
    tx: EntityManager,
    recallIds: readonly string[],
  ): Promise<Map<string, RecallView['matches']>> {
    const rows = (await tx.query(
      `SELECT recall_id, kind, count(*)::int AS n FROM matches
       WHERE recall_id = ANY($1::uuid[]) AND live GROUP BY recall_id, kind`,
      [recallIds],
    )) as { recall_id: string; kind: 'matched' | 'possible'; n: number }[];
    const counts = new Map<string, RecallView['matches']>();
    for (const row of rows) {
      const held = counts.get(row.recall_id) ?? { ...NO_MATCHES };
      held[row.kind] = row.n;
      counts.set(row.recall_id, held);
    }
    return counts;
  }
}
