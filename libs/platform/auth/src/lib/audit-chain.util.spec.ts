import type { AuditEntry, AuditRecord } from './audit-chain.util';
import { nextAuditRecord, verifyAuditChain } from './audit-chain.util';

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
