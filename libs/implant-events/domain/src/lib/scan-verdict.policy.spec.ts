import type { Udi } from '@implant-trace/udi';

import type { AssembledScan } from './scan-assembly.util';
import type { ActiveRecall, RecallEvaluation, ReplicaDevice } from './scan-check.types';
import type { ScanKnowledge } from './scan-verdict.policy';
import { decideScanVerdict, RECALL_INDEX_UNREADABLE } from './scan-verdict.policy';

const udi: Udi = {
  format: 'gs1',
  issuingAgency: 'GS1',
  deviceIdentifier: '05012345678900',
  lotNumber: 'LOT1',
  expirationDate: '2026-12-31',
  elements: [],
};
const scanned: AssembledScan = { ok: true, udi, warnings: [] };
const device: ReplicaDevice = {
  deviceId: '0190d7e6-0000-7000-8000-000000000001',
  revision: 1,
  identifiers: ['05012345678900'],
  manufacturer: 'Acme',
  brand: 'Hip',
  implantable: true,
  mriSafety: 'conditional',
  labelCarries: {
    lotNumber: true,
    serialNumber: false,
    expirationDate: true,
    manufactureDate: false,
  },
  status: 'on-market',
};
const recall: ActiveRecall = {
  recallId: '0190d7e6-0000-7000-8000-0000000000aa',
  title: 'Cup liner wear',
  class: 'II',
  criteria: { deviceIdentifiers: ['05012345678900'] },
};
const never: RecallEvaluation = () => undefined;
const always =
  (match: 'matched' | 'possible'): RecallEvaluation =>
  () =>
    match;

const knowing = (overrides: Partial<ScanKnowledge> = {}): ScanKnowledge => ({
  scan: scanned,
  device,
  recalls: [recall],
  doubts: [],
  today: '2026-12-01',
  evaluate: never,
  ...overrides,
});

describe('decideScanVerdict', () => {
  it('is OK only for a known, unexpired, unrecalled device with no doubt', () => {
    expect(decideScanVerdict(knowing())).toMatchObject({ verdict: 'OK', udi, device, recalls: [] });
  });

  it('is RECALLED with each recall and whether it is a possible match', () => {
    expect(decideScanVerdict(knowing({ evaluate: always('possible') }))).toMatchObject({
      verdict: 'RECALLED',
      recalls: [
        { recallId: recall.recallId, title: 'Cup liner wear', class: 'II', match: 'possible' },
      ],
    });
  });

  it('is RECALLED even while catching up, since a recall known to apply is certain', () => {
    const outcome = decideScanVerdict(
      knowing({ evaluate: always('matched'), doubts: ['the catalogue replica is catching up'] }),
    );
    expect(outcome.verdict).toBe('RECALLED');
  });

  it('is RECALLED with an expiry warning when recalled and expired', () => {
    const outcome = decideScanVerdict(
      knowing({ evaluate: always('matched'), today: '2027-01-01' }),
    );
    expect(outcome.verdict).toBe('RECALLED');
    expect(outcome.warnings.map((w) => w.code)).toEqual(['EXPIRED']);
  });

  it('is EXPIRED the day after the label’s expiry date, in London', () => {
    expect(decideScanVerdict(knowing({ today: '2027-01-01' })).verdict).toBe('EXPIRED');
    expect(decideScanVerdict(knowing({ today: '2026-12-31' })).verdict).toBe('OK');
  });

  it('is UNVERIFIED with the reasons, never OK, while anything is in doubt', () => {
    const outcome = decideScanVerdict(knowing({ doubts: ['the recall index is catching up'] }));
    expect(outcome).toMatchObject({
      verdict: 'UNVERIFIED',
      reasons: ['the recall index is catching up'],
    });
  });

  it('is UNVERIFIED, not OK, when the recall index cannot be read', () => {
    expect(decideScanVerdict(knowing({ recalls: undefined }))).toMatchObject({
      verdict: 'UNVERIFIED',
      reasons: [RECALL_INDEX_UNREADABLE],
    });
  });

  it('is UNVERIFIED, not UNKNOWN_DEVICE, while the replica may not hold the device yet', () => {
    const outcome = decideScanVerdict(knowing({ device: undefined, doubts: ['catching up'] }));
    expect(outcome.verdict).toBe('UNVERIFIED');
  });

  it("is UNVERIFIED, not OK, when a recall's criteria cannot be evaluated", () => {
    const refusing: RecallEvaluation = () => {
      throw new RangeError('inverted serial range');
    };
    expect(decideScanVerdict(knowing({ evaluate: refusing }))).toMatchObject({
      verdict: 'UNVERIFIED',
      reasons: [`recall ${recall.recallId} has criteria that cannot be evaluated`],
    });
  });

  it('is UNKNOWN_DEVICE when a current replica has no such identifier', () => {
    expect(decideScanVerdict(knowing({ device: undefined })).verdict).toBe('UNKNOWN_DEVICE');
  });

  it('is RECALLED for an unknown device whose identifier a recall names', () => {
    const outcome = decideScanVerdict(knowing({ device: undefined, evaluate: always('matched') }));
    expect(outcome.verdict).toBe('RECALLED');
  });

  it('is UNREADABLE with the parser errors', () => {
    const errors = [{ code: 'UNRECOGNISED_FORMAT', message: 'no UDI' }];
    expect(decideScanVerdict(knowing({ scan: { ok: false, errors } }))).toMatchObject({
      verdict: 'UNREADABLE',
      errors,
      udi: undefined,
    });
  });

  it('passes the parser warnings on', () => {
    const warnings = [{ code: 'GS1_DUPLICATE_AI', message: 'twice' }];
    expect(decideScanVerdict(knowing({ scan: { ok: true, udi, warnings } })).warnings).toEqual(
      warnings,
    );
  });
});
