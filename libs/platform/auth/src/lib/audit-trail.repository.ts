import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

import { GroupCommitQueue } from '@implant-trace/platform-database';

import type { AuditChainReport, AuditEntry, AuditRecord } from './audit-chain.util';
import { nextAuditRecord, verifyAuditChain } from './audit-chain.util';

interface AuditRow {
  seq: string;
  id: string;
  occurred_at: Date;
  actor_sub: string;
  actor_role: string;
  actor_ods: string | null;
  action: string;
  resource_type: string;
  resource_ids: string[];
  patient_count: number;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

function recordOf(row: AuditRow): AuditRecord {
  return {
    seq: Number(row.seq),
    id: row.id,
    occurredAt: row.occurred_at,
    actorSub: row.actor_sub,
    actorRole: row.actor_role,
    actorOds: row.actor_ods,
    action: row.action,
    resourceType: row.resource_type,
    resourceIds: row.resource_ids,
    patientCount: row.patient_count,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The service's hash-chained audit trail (table `audit_log` in its own schema). */
@Injectable()
export class AuditTrailRepository {
  /**
   * Appends of their own transaction: the chain's lock is held from reading the head to the
   * commit, so one append per transaction made every audited request queue behind the
   * others' commits; appends that arrive during a commit now share the next one.
   */
  private readonly ownTransactionAppends = new GroupCommitQueue<AuditEntry, AuditRecord>(
    (entries) => this.dataSource.transaction((manager) => this.appendIn(manager, entries)),
  );

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Appends one entry. Pass the manager of the transaction that reads or changes the patient
   * data so the entry commits (or rolls back) with it; appends are serialised per schema so
   * the chain never forks. Without a transaction the entry is committed, possibly with
   * others, before the promise resolves.
   */
  async append(entry: AuditEntry, transaction?: EntityManager): Promise<AuditRecord> {
    if (transaction === undefined) return this.ownTransactionAppends.submit(entry);
    const [record] = await this.appendIn(transaction, [entry]);
    if (record === undefined) throw new Error('an append returned no record');
    return record;
  }

  async verify(anchor?: { seq: number; hash: string }): Promise<AuditChainReport> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM audit_log ORDER BY seq`,
    )) as AuditRow[];
    return verifyAuditChain(rows.map(recordOf), anchor);
  }

  /** The newest record's sequence number and hash, or null for an empty trail. */
  async head(): Promise<{ seq: number; hash: string } | null> {
    const [row] = (await this.dataSource.query(
      `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
    )) as { seq: string; hash: string }[];
    return row === undefined ? null : { seq: Number(row.seq), hash: row.hash };
  }

  private async appendIn(
    manager: EntityManager,
    entries: readonly AuditEntry[],
  ): Promise<AuditRecord[]> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.audit_log'))`);
    const [head] = (await manager.query(
      `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
    )) as { seq: string; hash: string }[];
    let previous = head === undefined ? null : { seq: Number(head.seq), hash: head.hash };
    const occurredAt = new Date();
    const records = entries.map((entry) => {
      const record = nextAuditRecord(previous, entry, randomUUID(), occurredAt);
      previous = record;
      return record;
    });
    const columns = 13;
    const rows = records.map(
      (_, row) =>
        `(${Array.from({ length: columns }, (__, column) => `$${row * columns + column + 1}`).join(', ')})`,
    );
    await manager.query(
      `INSERT INTO audit_log (seq, id, occurred_at, actor_sub, actor_role, actor_ods, action,
         resource_type, resource_ids, patient_count, request_id, prev_hash, hash)
       VALUES ${rows.join(', ')}`,
      records.flatMap((record) => [
        record.seq,
        record.id,
        record.occurredAt,
        record.actorSub,
        record.actorRole,
        record.actorOds,
        record.action,
        record.resourceType,
        record.resourceIds,
        record.patientCount,
        record.requestId,
        record.prevHash,
        record.hash,
      ]),
    );
    return records;
  }
}
