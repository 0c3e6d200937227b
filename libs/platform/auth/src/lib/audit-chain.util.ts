import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What one audit entry records: who did what to which records, for how many patients. */
export interface AuditEntry {
  actorSub: string;
  actorRole: string;
  actorOds: string | null;
  action: string;
  resourceType: string;
  resourceIds: string[];
  patientCount: number;
  requestId: string | null;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  id: string;
  occurredAt: Date;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditChainProblem {
  seq: number;
  problem: 'missing' | 'altered' | 'relinked' | 'truncated';
}

export type AuditChainReport =
  | { intact: true; rows: number; head: { seq: number; hash: string } | null }
  | { intact: false; rows: number; problems: AuditChainProblem[] };

/** The hash of a record: every recorded field plus the previous record's hash. */
export function auditRecordHash(record: Omit<AuditRecord, 'hash'>): string {
  const canonical = JSON.stringify([
    record.seq,
    record.id,
    record.occurredAt.toISOString(),
    record.actorSub,
    record.actorRole,
    record.actorOds,
    record.action,
    record.resourceType,
    record.resourceIds,
    record.patientCount,
    record.requestId,
    record.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Checks a whole chain in sequence order. A changed field breaks that row's hash, a removed
 * row leaves a gap in `seq` and breaks the next row's link, and a removed tail is caught
 * against a head recorded earlier (`anchor`), e.g. one exported to another system.
 */
export function verifyAuditChain(
  records: readonly AuditRecord[],
  anchor?: { seq: number; hash: string },
): AuditChainReport {
  const problems: AuditChainProblem[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (const record of records) {
    if (record.seq !== expectedSeq) {
      for (let seq = expectedSeq; seq < record.seq; seq++)
        problems.push({ seq, problem: 'missing' });
    }
    if (record.prevHash !== prevHash) problems.push({ seq: record.seq, problem: 'relinked' });
    if (auditRecordHash(record) !== record.hash)
      problems.push({ seq: record.seq, problem: 'altered' });
    expectedSeq = record.seq + 1;
    prevHash = record.hash;
  }
  if (anchor !== undefined) {
    const anchored = records.find((record) => record.seq === anchor.seq);
    if (anchored === undefined) problems.push({ seq: anchor.seq, problem: 'truncated' });
    else if (anchored.hash !== anchor.hash) problems.push({ seq: anchor.seq, problem: 'altered' });
  }
  if (problems.length > 0) return { intact: false, rows: records.length, problems };
  const last = records.at(-1);
  return {
    intact: true,
    rows: records.length,
    head: last === undefined ? null : { seq: last.seq, hash: last.hash },
  };
}

/** The next record of a chain whose current head is `previous` (null for the first). */
export function nextAuditRecord(
  previous: { seq: number; hash: string } | null,
  entry: AuditEntry,
  id: string,
  occurredAt: Date,
): AuditRecord {
  const unhashed = {
    ...entry,
    seq: (previous?.seq ?? 0) + 1,
    id,
    occurredAt,
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...unhashed, hash: auditRecordHash(unhashed) };
}

/**
 * The chain's head as exported outside the database (a log line), so a tail cut later is
 * detectable: the verifier checks the export's keyed hash, then the chain against its head.
 * Hashes are base64url, not hex: log masking rewrites any run of ten digits.
 */
export interface AuditHeadExport {
  schema: string;
  seq: number;
  hash: string;
  exportedAt: string;
  /** HMAC-SHA256 of the other fields with the configured key; absent when none is set. */
  mac?: string;
}

function exportMac(head: Omit<AuditHeadExport, 'mac'>, key: string): string {
  const canonical = JSON.stringify([head.schema, head.seq, head.hash, head.exportedAt]);
  return createHmac('sha256', key).update(canonical).digest('base64url');
}

export function auditHeadExport(
  schema: string,
  head: { seq: number; hash: string },
  exportedAt: Date,
  key: string | undefined,
): AuditHeadExport {
  const unsigned = {
    schema,
    seq: head.seq,
    hash: Buffer.from(head.hash, 'hex').toString('base64url'),
    exportedAt: exportedAt.toISOString(),
  };
  return key === undefined ? unsigned : { ...unsigned, mac: exportMac(unsigned, key) };
}

/**
 * The anchor (`verifyAuditChain`) an export vouches for, or undefined when its keyed hash
 * does not match: a forged or altered export proves nothing.
 */
export function anchorOfAuditHeadExport(
  exported: AuditHeadExport,
  key: string,
): { seq: number; hash: string } | undefined {
  if (exported.mac === undefined) return undefined;
  const expected = Buffer.from(exportMac(exported, key));
  const given = Buffer.from(exported.mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  return { seq: exported.seq, hash: Buffer.from(exported.hash, 'base64url').toString('hex') };
}
