import {
  differencesFromFaultFree,
  faultOutcome,
  keyOrderOutcome,
  type SentRecording,
} from './fault-outcome';

const recording = (serial: string, overrides: Partial<SentRecording> = {}): SentRecording => ({
  serial,
  hospitalOds: 'RXH01',
  recalled: true,
  sentAt: 1_000,
  acknowledgedAt: 1_500,
  implantId: `implant-${serial}`,
  ...overrides,
});

/** The state a fault-free run leaves for these recordings. */
function faultFree(recordings: SentRecording[]): {
  implantsBySerial: Map<string, string[]>;
  matchesByImplant: Map<string, string[]>;
  noticesByImplant: Map<string, { hospitalOds: string; ids: string[] }[]>;
} {
  const acknowledged = recordings.filter((r) => r.implantId !== undefined);
  return {
    implantsBySerial: new Map(acknowledged.map((r) => [r.serial, [r.implantId!]])),
    matchesByImplant: new Map(
      acknowledged.filter((r) => r.recalled).map((r) => [r.implantId!, [`match-${r.serial}`]]),
    ),
    noticesByImplant: new Map(
      acknowledged
        .filter((r) => r.recalled)
        .map((r) => [r.implantId!, [{ hospitalOds: r.hospitalOds, ids: [`event-${r.serial}`] }]]),
    ),
  };
}

const window = {
  fault: 'kill -9 the broker',
  proof: 'the broker refused connections',
  injectedAt: 1_000,
  endedAt: 2_000,
};

describe('faultOutcome', () => {
  it('counts nothing lost or duplicated when the final state is the fault-free one', () => {
    const recordings = [recording('a'), recording('b', { recalled: false })];
    expect(faultOutcome(window, recordings, faultFree(recordings))).toEqual({
      fault: 'kill -9 the broker',
      proof: 'the broker refused connections',
      inFlight: 2,
      acknowledged: 2,
      unacknowledged: 0,
      lost: 0,
      duplicated: 0,
      recoverySeconds: 0.5,
    });
    expect(differencesFromFaultFree(recordings, faultFree(recordings))).toEqual([]);
  });

  it('counts an acknowledged implant missing, its match missing, or its webhook missing as lost', () => {
    const recordings = [recording('a'), recording('b'), recording('c')];
    const state = faultFree(recordings);
    state.implantsBySerial.delete('a');
    state.matchesByImplant.delete('implant-b');
    state.noticesByImplant.set('implant-c', [{ hospitalOds: 'RAJ01', ids: ['event-c'] }]);
    expect(faultOutcome(window, recordings, state)).toMatchObject({ lost: 3, duplicated: 0 });
    expect(differencesFromFaultFree(recordings, state)).toEqual([
      'recording a lost',
      'recording b lost',
      'recording c lost',
    ]);
  });

  it('does not count a recording no 2xx acknowledged as lost, but as unacknowledged', () => {
    const recordings = [recording('a', { acknowledgedAt: undefined, implantId: undefined })];
    expect(faultOutcome(window, recordings, faultFree(recordings))).toMatchObject({
      inFlight: 1,
      acknowledged: 0,
      unacknowledged: 1,
      lost: 0,
      recoverySeconds: undefined,
    });
  });

  it('counts two implant rows, two matches or two webhooks of different ids as duplicated', () => {
    const recordings = [recording('a'), recording('b'), recording('c'), recording('d')];
    const state = faultFree(recordings);
    state.implantsBySerial.set('a', ['implant-a', 'implant-a2']);
    state.matchesByImplant.set('implant-b', ['match-b', 'match-b2']);
    state.noticesByImplant.set('implant-c', [
      { hospitalOds: 'RXH01', ids: ['event-c'] },
      { hospitalOds: 'RXH01', ids: ['event-c2'] },
    ]);
    // The same webhook id twice is a redelivery the receiver can drop: not a duplicate in effect.
    state.noticesByImplant.set('implant-d', [
      { hospitalOds: 'RXH01', ids: ['event-d', 'event-d'] },
    ]);
    expect(faultOutcome(window, recordings, state)).toMatchObject({ lost: 0, duplicated: 3 });
  });

  it('counts only the recordings sent during the window, and recovery from the first 2xx after the fault', () => {
    const recordings = [
      recording('before', { sentAt: 500, acknowledgedAt: 600 }),
      recording('during', { sentAt: 1_200, acknowledgedAt: 4_000 }),
      recording('after', { sentAt: 2_500, acknowledgedAt: 2_600 }),
    ];
    expect(faultOutcome(window, recordings, faultFree(recordings))).toMatchObject({
      inFlight: 1,
      recoverySeconds: 1.6,
    });
  });

  it('finds implants, matches and webhooks the acknowledged recordings do not account for', () => {
    const recordings = [recording('a'), recording('b', { recalled: false })];
    const state = faultFree(recordings);
    state.implantsBySerial.set('x', ['implant-x']);
    state.matchesByImplant.set('implant-b', ['match-b']);
    state.noticesByImplant.set('implant-b', [{ hospitalOds: 'RXH01', ids: ['event-b'] }]);
    expect(differencesFromFaultFree(recordings, state)).toEqual([
      '1 implants recorded that no 2xx acknowledged',
      '1 matches of implants outside the recalled lot',
      '1 webhooks for implants outside the recalled lot',
    ]);
  });
});

describe('keyOrderOutcome', () => {
  const committed = [
    { key: 'RXH01', id: 'm1' },
    { key: 'RAJ01', id: 'm2' },
    { key: 'RXH01', id: 'm3' },
    { key: 'RXH01', id: 'm4' },
  ];

  it('finds nothing wrong when each key reached its topic in commit order, keys interleaved', () => {
    const onTopic = [
      { key: 'RAJ01', id: 'm2' },
      { key: 'RXH01', id: 'm1' },
      { key: 'RXH01', id: 'm3' },
      { key: 'RXH01', id: 'm4' },
    ];
    expect(keyOrderOutcome('matches', committed, onTopic)).toEqual({
      topic: 'matches',
      keys: 2,
      committed: 4,
      missing: 0,
      repeated: 0,
      unexpected: 0,
      outOfOrderKeys: [],
    });
  });

  it('names a key whose events were swapped, and counts a missing event', () => {
    const onTopic = [
      { key: 'RXH01', id: 'm3' },
      { key: 'RXH01', id: 'm1' },
      { key: 'RXH01', id: 'm4' },
    ];
    expect(keyOrderOutcome('matches', committed, onTopic)).toMatchObject({
      missing: 1,
      outOfOrderKeys: ['RXH01'],
    });
  });

  it('judges order by first copies: a retried send written twice is repeated, not reordered', () => {
    const onTopic = [
      { key: 'RXH01', id: 'm1' },
      { key: 'RXH01', id: 'm3' },
      { key: 'RXH01', id: 'm1' },
      { key: 'RXH01', id: 'm3' },
      { key: 'RAJ01', id: 'm2' },
      { key: 'RXH01', id: 'm4' },
      { key: 'RXH01', id: 'stranger' },
    ];
    expect(keyOrderOutcome('matches', committed, onTopic)).toMatchObject({
      missing: 0,
      repeated: 2,
      unexpected: 1,
      outOfOrderKeys: [],
    });
  });

  it('names a key whose later event arrived before an earlier one that came only on retry', () => {
    const onTopic = [
      { key: 'RXH01', id: 'm1' },
      { key: 'RXH01', id: 'm4' },
      { key: 'RXH01', id: 'm3' },
      { key: 'RAJ01', id: 'm2' },
    ];
    expect(keyOrderOutcome('matches', committed, onTopic).outOfOrderKeys).toEqual(['RXH01']);
  });
});
