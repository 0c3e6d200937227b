import type { AuditEntry, AuditRecord } from './audit-chain.util';
import {
  anchorOfAuditHeadExport,
  auditHeadExport,
  nextAuditRecord,
  verifyAuditChain,
} from './audit-chain.util';

const entry: AuditEntry = {
  actorSub: 'u1',
  actorRole: 'theatre',
  actorOds: 'RXH01',
  action: 'implant.read',
  resourceType: 'implant',
  resourceIds: ['i1'],
  patientCount: 1,
  requestId: 'req-1',
};

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < length; i++) {
    records.push(
      nextAuditRecord(records.at(-1) ?? null, entry, `id-${i}`, new Date(1_700_000_000_000 + i)),
    );
  }
  return records;
}

describe('verifyAuditChain', () => {
  it('accepts an untouched chain and reports its head', () => {
    const records = chain(4);
    expect(verifyAuditChain(records)).toEqual({
      intact: true,
      rows: 4,
      head: { seq: 4, hash: records[3]!.hash },
    });
  });

  it('detects a changed field', () => {
    const records = chain(3);
    records[1] = { ...records[1]!, patientCount: 0 };
    expect(verifyAuditChain(records)).toMatchObject({
      intact: false,
      problems: [{ seq: 2, problem: 'altered' }],
    });
  });

  it('detects a removed row', () => {
    const records = chain(3);
    records.splice(1, 1);
    expect(verifyAuditChain(records)).toMatchObject({
      intact: false,
      problems: [
        { seq: 2, problem: 'missing' },
        { seq: 3, problem: 'relinked' },
      ],
    });
  });

  it('detects a row rewritten with a recomputed hash through the next link', () => {
    const records = chain(3);
    const forged = nextAuditRecord(
      { seq: 1, hash: records[0]!.hash },
      { ...entry, actorSub: 'x' },
      'id-1',
      new Date(0),
    );
    records[1] = forged;
    expect(verifyAuditChain(records)).toMatchObject({
      intact: false,
      problems: [{ seq: 3, problem: 'relinked' }],
    });
  });

  it('detects a removed tail against an earlier anchor', () => {
    const records = chain(3);
    const anchor = { seq: 3, hash: records[2]!.hash };
    expect(verifyAuditChain(records.slice(0, 2), anchor)).toMatchObject({
      intact: false,
      problems: [{ seq: 3, problem: 'truncated' }],
    });
  });
});

describe('audit head exports', () => {
  const key = 'audit-head-key-for-this-test-of-32-chars';
  const head = chain(3).at(-1) ?? { seq: 0, hash: '' };
  const exported = auditHeadExport('implant_events', head, new Date(1_700_000_000_000), key);

  it('vouch for the head they were made from, with its hash in base64url (log masking rewrites digit runs)', () => {
    expect(exported.hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(anchorOfAuditHeadExport(exported, key)).toEqual({ seq: 3, hash: head.hash });
  });

  it('vouch for nothing once any field is changed, or without their key', () => {
    for (const forged of [
      { ...exported, seq: 2 },
      { ...exported, schema: 'recall_matching' },
      { ...exported, exportedAt: new Date(1_800_000_000_000).toISOString() },
      { ...exported, mac: undefined },
    ]) {
      expect(anchorOfAuditHeadExport(forged, key)).toBeUndefined();
    }
    expect(anchorOfAuditHeadExport(exported, `${key}!`)).toBeUndefined();
    expect(auditHeadExport('implant_events', head, new Date(), undefined).mac).toBeUndefined();
  });

  it('let a verifier detect a chain cut below the exported head', () => {
    const anchor = anchorOfAuditHeadExport(exported, key);
    expect(verifyAuditChain(chain(2), anchor)).toMatchObject({
      intact: false,
      problems: [{ seq: 3, problem: 'truncated' }],
    });
  });
});
