import {
  differencesFromFaultFree,
  faultOutcome,
  type FinalState,
  type HospitalRequests,
  keyOrderOutcome,
  type SentAcknowledgement,
  type SentFollowUp,
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

const followUp = (matchId: string, overrides: Partial<SentFollowUp> = {}): SentFollowUp => ({
  matchId,
  hospitalOds: 'RXH01',
  sentAt: 1_100,
  acknowledgedAt: 1_300,
  ...overrides,
});

const stage = (
  hospitalOds: string,
  name: string,
  overrides: Partial<SentAcknowledgement> = {},
): SentAcknowledgement => ({
  hospitalOds,
  stage: name,
  sentAt: 1_100,
  acknowledgedAt: 1_300,
  ...overrides,
});

const none: HospitalRequests = { followUps: [], acknowledgements: [] };

type MutableState = {
  [K in keyof FinalState]: FinalState[K] extends ReadonlyMap<infer Key, infer Value>
    ? Map<Key, Value extends readonly (infer Item)[] ? Item[] : Value>
    : FinalState[K];
};

/** The state a fault-free run leaves for these recordings and hospital requests. */
function faultFree(recordings: SentRecording[], hospitals: HospitalRequests = none): MutableState {
  const acknowledged = recordings.filter((r) => r.implantId !== undefined);
  const followedUp = hospitals.followUps.filter((f) => f.acknowledgedAt !== undefined);
  const stages = hospitals.acknowledgements.filter((a) => a.acknowledgedAt !== undefined);
  const stagesByHospital = new Map<string, string[]>();
  for (const a of stages) {
    stagesByHospital.set(a.hospitalOds, [...(stagesByHospital.get(a.hospitalOds) ?? []), a.stage]);
  }
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
    followUpsByMatch: new Map(followedUp.map((f) => [f.matchId, [`follow-up-${f.matchId}`]])),
    stagesByHospital,
    progressStageByHospital: new Map(
      [...stagesByHospital].map(([hospital, reached]) => [hospital, reached.at(-1)]),
    ),
    progressFollowUps: followedUp.length === 0 ? {} : { contacted: followedUp.length },
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
    expect(faultOutcome(window, recordings, none, faultFree(recordings))).toEqual({
      fault: 'kill -9 the broker',
      proof: 'the broker refused connections',
      inFlight: 2,
      followUps: 0,
      stages: 0,
      acknowledged: 2,
      unacknowledged: 0,
      lost: 0,
      duplicated: 0,
      recoverySeconds: 0.5,
    });
    expect(differencesFromFaultFree(recordings, none, faultFree(recordings))).toEqual([]);
  });

  it('counts an acknowledged implant missing, its match missing, or its webhook missing as lost', () => {
    const recordings = [recording('a'), recording('b'), recording('c')];
    const state = faultFree(recordings);
    state.implantsBySerial.delete('a');
    state.matchesByImplant.delete('implant-b');
    state.noticesByImplant.set('implant-c', [{ hospitalOds: 'RAJ01', ids: ['event-c'] }]);
    expect(faultOutcome(window, recordings, none, state)).toMatchObject({ lost: 3, duplicated: 0 });
    expect(differencesFromFaultFree(recordings, none, state)).toEqual([
      'recording a lost',
      'recording b lost',
      'recording c lost',
    ]);
  });

  it('does not count a recording no 2xx acknowledged as lost, but as unacknowledged', () => {
    const recordings = [recording('a', { acknowledgedAt: undefined, implantId: undefined })];
    expect(faultOutcome(window, recordings, none, faultFree(recordings))).toMatchObject({
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
    expect(faultOutcome(window, recordings, none, state)).toMatchObject({ lost: 0, duplicated: 3 });
  });

  it('counts only the recordings sent during the window, and recovery from the first 2xx after the fault', () => {
    const recordings = [
      recording('before', { sentAt: 500, acknowledgedAt: 600 }),
      recording('during', { sentAt: 1_200, acknowledgedAt: 4_000 }),
      recording('after', { sentAt: 2_500, acknowledgedAt: 2_600 }),
    ];
    expect(faultOutcome(window, recordings, none, faultFree(recordings))).toMatchObject({
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
    expect(differencesFromFaultFree(recordings, none, state)).toEqual([
      '1 implants recorded that no 2xx acknowledged',
      '1 matches of implants outside the recalled lot',
      '1 webhooks for implants outside the recalled lot',
    ]);
  });

  it('counts follow-ups and stages sent in the window with the recordings, nothing lost when all are held', () => {
    const recordings = [recording('a')];
    const hospitals = {
      followUps: [followUp('m1'), followUp('m2', { sentAt: 2_500 })],
      acknowledgements: [stage('RXH01', 'received'), stage('RAJ01', 'received')],
    };
    const state = faultFree(recordings, hospitals);
    expect(faultOutcome(window, recordings, hospitals, state)).toMatchObject({
      inFlight: 4,
      followUps: 1,
      stages: 2,
      acknowledged: 4,
      lost: 0,
      duplicated: 0,
    });
    expect(differencesFromFaultFree(recordings, hospitals, state)).toEqual([]);
  });

  it('counts an acknowledged follow-up or stage missing as lost, and one held twice as duplicated', () => {
    const hospitals = {
      followUps: [followUp('m1'), followUp('m2')],
      acknowledgements: [stage('RXH01', 'received'), stage('RAJ01', 'received')],
    };
    const state = faultFree([], hospitals);
    state.followUpsByMatch.delete('m1');
    state.followUpsByMatch.set('m2', ['follow-up-m2', 'follow-up-m2-again']);
    state.stagesByHospital.set('RXH01', []);
    expect(faultOutcome(window, [], hospitals, state)).toMatchObject({ lost: 2, duplicated: 1 });
    expect(differencesFromFaultFree([], hospitals, state)).toEqual([
      'follow-up of m1 lost',
      'follow-up of m2 recorded twice',
      'RXH01 received lost',
    ]);
  });

  it("finds the regulator's view behind the stages reached, and its follow-up count short", () => {
    const hospitals = {
      followUps: [followUp('m1'), followUp('m2')],
      acknowledgements: [stage('RXH01', 'received'), stage('RXH01', 'action-underway')],
    };
    const state = faultFree([], hospitals);
    state.progressStageByHospital.set('RXH01', 'received');
    state.progressFollowUps = { contacted: 1 };
    expect(differencesFromFaultFree([], hospitals, state)).toEqual([
      'the regulator counts 1 follow-ups, 2 were made',
      'the regulator sees RXH01 at received, it reached action-underway',
    ]);
  });

  it('finds follow-ups and stages held that no 2xx acknowledged', () => {
    const hospitals = {
      followUps: [followUp('m1', { acknowledgedAt: undefined })],
      acknowledgements: [stage('RXH01', 'received', { acknowledgedAt: undefined })],
    };
    const state = faultFree([], hospitals);
    state.followUpsByMatch.set('m1', ['follow-up-m1']);
    state.stagesByHospital.set('RXH01', ['received']);
    expect(faultOutcome(window, [], hospitals, state)).toMatchObject({
      unacknowledged: 2,
      lost: 0,
    });
    expect(differencesFromFaultFree([], hospitals, state)).toEqual([
      '1 follow-ups recorded that no 2xx acknowledged',
      'RXH01 stages stored that no 2xx acknowledged: received',
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

  // m5 is written at 20 and arrives first; m1 was written at 10 and committed at 30 or 15.
  it.each([
    ['lets two events of a key from transactions open at once arrive in either order', 30, []],
    [
      'names a key whose event arrived before one whose transaction committed before it was written',
      15,
      ['RXH01'],
    ],
  ])('%s', (_title, firstCommittedAt, outOfOrderKeys) => {
    const events = [
      { key: 'RXH01', id: 'm1', createdAt: 10, committedAt: firstCommittedAt },
      { key: 'RXH01', id: 'm5', createdAt: 20, committedAt: 25 },
    ];
    const onTopic = [events[1]!, events[0]!].map(({ key, id }) => ({ key, id }));
    expect(keyOrderOutcome('matches', events, onTopic).outOfOrderKeys).toEqual(outOfOrderKeys);
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
