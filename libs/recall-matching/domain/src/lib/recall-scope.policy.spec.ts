import { applyScope, ScopeCollector } from './recall-scope.policy';

describe('ScopeCollector', () => {
  it('takes lots, serials and the device, lot and serial of a UDI, and reports unreadable rows by line', () => {
    const collector = new ScopeCollector({ lot: 'Lot', serial: 'SN', udi: 'Barcode' });
    collector.add(2, { Lot: ' L1 ', SN: '' });
    collector.add(3, { Lot: '', SN: 'S-9' });
    collector.add(4, { Barcode: '(01)05012345678900(10)L2(21)S-10' });
    collector.add(5, { Barcode: 'not a barcode' });
    collector.add(6, { Lot: '', SN: '', Barcode: '' });
    collector.add(7, { Lot: 'L'.repeat(65), SN: 'S-11' });
    const result = collector.result();
    expect(result).toMatchObject({
      rows: 6,
      deviceIdentifiers: ['05012345678900'],
      lotNumbers: ['L1', 'L2'],
      serialNumbers: ['S-9', 'S-10'],
    });
    expect(result.rejected.map((rejection) => rejection.line)).toEqual([5, 6, 7]);
    expect(result.rejected[1]!.reason).toBe('the row has no value in any named column');
  });
});

describe('applyScope', () => {
  const list = {
    rows: 2,
    deviceIdentifiers: [],
    lotNumbers: ['L2', 'L3'],
    serialNumbers: ['S1'],
    rejected: [],
  };

  it('widens the fields the criteria constrain, and never constrains one they leave open', () => {
    expect(
      applyScope({ deviceIdentifiers: ['D'], lotNumbers: ['L1', 'L2'] }, list, 'widen'),
    ).toEqual({ deviceIdentifiers: ['D'], lotNumbers: ['L1', 'L2', 'L3'] });
  });

  it('widens a serial constraint given as ranges only', () => {
    expect(
      applyScope(
        { deviceIdentifiers: ['D'], serialRanges: [{ from: '1', to: '9' }] },
        list,
        'widen',
      ),
    ).toEqual({
      deviceIdentifiers: ['D'],
      serialRanges: [{ from: '1', to: '9' }],
      serialNumbers: ['S1'],
    });
  });

  it("sets the list's fields, replacing what they held", () => {
    expect(
      applyScope(
        { deviceIdentifiers: ['D'], lotNumbers: ['L1'], serialRanges: [{ from: '1', to: '9' }] },
        list,
        'set',
      ),
    ).toEqual({ deviceIdentifiers: ['D'], lotNumbers: ['L2', 'L3'], serialNumbers: ['S1'] });
  });
});
