import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';

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

  /**
   * Newest first (recall ids are UUID v7), a page at a time; a hospital sees only the recalls
   * that have matched one of its implants.
   */
  async list(
    hospitalOds: string | undefined,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: RecallView[]; nextCursor: string | null }> {
    const rows = (await this.dataSource.manager.query(
      `SELECT recall_id FROM recalls r
       WHERE ($1::text IS NULL
              OR EXISTS (SELECT 1 FROM matches m WHERE m.recall_id = r.recall_id AND m.hospital_ods = $1))
         AND ($2::uuid IS NULL OR r.recall_id < $2::uuid)
       ORDER BY r.recall_id DESC
       LIMIT $3`,
      [hospitalOds ?? null, page.cursor ?? null, page.limit + 1],
    )) as { recall_id: string }[];
    const ids = rows.slice(0, page.limit).map((row) => row.recall_id);
    // An empty `In` would still be a query; an empty page is answered without one.
    if (ids.length === 0) return { items: [], nextCursor: null };
    const entities = await this.dataSource.manager.find(RecallEntity, {
      where: { recallId: In(ids) },
      order: { recallId: 'DESC' },
    });
    const counts = await this.liveCounts(this.dataSource.manager, ids);
    return {
      items: entities.map((entity) =>
        recallViewOf(entity, counts.get(entity.recallId) ?? NO_MATCHES),
      ),
      nextCursor: rows.length > page.limit ? (ids.at(-1) ?? null) : null,
    };
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
