// What a fault did to the recordings made while it lasted: pure counting over what the load
// generator was told and what the services hold at the end, so it can be unit-tested.

/** One recording as the load generator made it. */
export interface SentRecording {
  serial: string;
  hospitalOds: string;
  /** Of the recalled lot: a match and a webhook must follow. */
  recalled: boolean;
  sentAt: number;
  /** When a 2xx answered it (the first, or a replay of the same Idempotency-Key). */
  acknowledgedAt?: number;
  implantId?: string;
}

/** What the platform holds once it is quiet again. */
export interface FinalState {
  /** Implant rows in implant-events, by serial (a serial recorded twice would be a duplicate). */
  implantsBySerial: ReadonlyMap<string, readonly string[]>;
  /** Match rows in recall-matching for the recall, by implant. */
  matchesByImplant: ReadonlyMap<string, readonly string[]>;
  /** recall.match.found webhook ids verified at each hospital's endpoint, by implant. */
  noticesByImplant: ReadonlyMap<string, { hospitalOds: string; ids: readonly string[] }[]>;
}

export interface FaultWindow {
  fault: string;
  /** What showed that the fault happened (the process died, the port refused connections). */
  proof: string;
  injectedAt: number;
  endedAt: number;
}

export interface FaultOutcome {
  fault: string;
  proof: string;
  inFlight: number;
  acknowledged: number;
  unacknowledged: number;
  lost: number;
  duplicated: number;
  /** From the injection to the first 2xx for a recording sent after it. */
  recoverySeconds: number | undefined;
}

/** Recordings a 2xx acknowledged whose implant, match or webhook is missing at the end. */
export function isLost(recording: SentRecording, state: FinalState): boolean {
  if (recording.acknowledgedAt === undefined || recording.implantId === undefined) return false;
  const rows = state.implantsBySerial.get(recording.serial) ?? [];
  if (!rows.includes(recording.implantId)) return true;
  if (!recording.recalled) return false;
  if ((state.matchesByImplant.get(recording.implantId) ?? []).length === 0) return true;
  const notices = state.noticesByImplant.get(recording.implantId) ?? [];
  return !notices.some((notice) => notice.hospitalOds === recording.hospitalOds);
}

/**
 * More than one effect of one recording: two implant rows, two matches, or two webhooks with
 * different ids (a receiver cannot tell those apart; a webhook re-sent with the same id it can).
 */
export function isDuplicated(recording: SentRecording, state: FinalState): boolean {
  if ((state.implantsBySerial.get(recording.serial) ?? []).length > 1) return true;
  if (recording.implantId === undefined) return false;
  if ((state.matchesByImplant.get(recording.implantId) ?? []).length > 1) return true;
  const ids = new Set(
    (state.noticesByImplant.get(recording.implantId) ?? []).flatMap((notice) => notice.ids),
  );
  return ids.size > 1;
}

export function faultOutcome(
  window: FaultWindow,
  recordings: readonly SentRecording[],
  state: FinalState,
): FaultOutcome {
  const inWindow = recordings.filter(
    (recording) => recording.sentAt >= window.injectedAt && recording.sentAt < window.endedAt,
  );
  const firstRecovered = recordings
    .filter((recording) => recording.sentAt >= window.injectedAt)
    .map((recording) => recording.acknowledgedAt)
    .filter((at): at is number => at !== undefined)
    .sort((a, b) => a - b)[0];
  return {
    fault: window.fault,
    proof: window.proof,
    inFlight: inWindow.length,
    acknowledged: inWindow.filter((recording) => recording.acknowledgedAt !== undefined).length,
    unacknowledged: inWindow.filter((recording) => recording.acknowledgedAt === undefined).length,
    lost: inWindow.filter((recording) => isLost(recording, state)).length,
    duplicated: inWindow.filter((recording) => isDuplicated(recording, state)).length,
    recoverySeconds:
      firstRecovered === undefined ? undefined : (firstRecovered - window.injectedAt) / 1000,
  };
}

/**
 * The final state a run without faults reaches from the same acknowledged recordings: every
 * implant once, and each recalled one matched once and told to its own hospital once. Returns
 * what differs; empty when the run with faults ended in that state.
 */
export function differencesFromFaultFree(
  recordings: readonly SentRecording[],
  state: FinalState,
): string[] {
  const acknowledged = recordings.filter((recording) => recording.implantId !== undefined);
  const expectedImplants = new Set(acknowledged.map((recording) => recording.implantId));
  const expectedMatched = new Set(
    acknowledged.filter((recording) => recording.recalled).map((recording) => recording.implantId),
  );
  const differences: string[] = [];
  const implantIds = [...state.implantsBySerial.values()].flat();
  const unexpected = implantIds.filter((implantId) => !expectedImplants.has(implantId));
  if (unexpected.length > 0) {
    differences.push(`${unexpected.length} implants recorded that no 2xx acknowledged`);
  }
  const matched = [...state.matchesByImplant.keys()];
  const unexpectedMatches = matched.filter((implantId) => !expectedMatched.has(implantId));
  if (unexpectedMatches.length > 0) {
    differences.push(`${unexpectedMatches.length} matches of implants outside the recalled lot`);
  }
  const notified = [...state.noticesByImplant.keys()];
  const unexpectedNotices = notified.filter((implantId) => !expectedMatched.has(implantId));
  if (unexpectedNotices.length > 0) {
    differences.push(`${unexpectedNotices.length} webhooks for implants outside the recalled lot`);
  }
  for (const recording of acknowledged) {
    if (isLost(recording, state)) differences.push(`recording ${recording.serial} lost`);
    if (isDuplicated(recording, state))
      differences.push(`recording ${recording.serial} duplicated`);
  }
  return differences;
}

/** One event as its service committed it to the outbox, or as it was read from its topic. */
export interface KeyedEvent {
  key: string;
  id: string;
}

export interface KeyOrderOutcome {
  topic: string;
  keys: number;
  committed: number;
  /** Committed events never read from the topic. */
  missing: number;
  /**
   * Further copies of an event already on the topic: a send retried after its first copy was
   * written. Consumers skip them by event id, so they are shown, not failed.
   */
  repeated: number;
  /** Events on the topic that no service committed. */
  unexpected: number;
  /** Keys whose events consumers would apply in another order than they were committed in. */
  outOfOrderKeys: string[];
}

/**
 * Whether each key's events reached its topic in the order they were committed: per key, the
 * first copy of each event, in topic order, must follow the outbox order. Pure, for unit tests.
 */
export function keyOrderOutcome(
  topic: string,
  committed: readonly KeyedEvent[],
  onTopic: readonly KeyedEvent[],
): KeyOrderOutcome {
  const byKey = (events: readonly KeyedEvent[]) => {
    const grouped = new Map<string, string[]>();
    for (const event of events)
      grouped.set(event.key, [...(grouped.get(event.key) ?? []), event.id]);
    return grouped;
  };
  const committedIds = new Set(committed.map((event) => event.id));
  const seen = new Set<string>();
  let repeated = 0;
  let unexpected = 0;
  const firstCopies: KeyedEvent[] = [];
  for (const event of onTopic) {
    if (!committedIds.has(event.id)) unexpected++;
    else if (seen.has(event.id)) repeated++;
    else {
      seen.add(event.id);
      firstCopies.push(event);
    }
  }
  const read = byKey(firstCopies);
  const outOfOrderKeys = [...byKey(committed)]
    .filter(([key, ids]) => {
      const expected = ids.filter((id) => seen.has(id));
      const actual = read.get(key) ?? [];
      return expected.length !== actual.length || expected.some((id, i) => actual[i] !== id);
    })
    .map(([key]) => key);
  return {
    topic,
    keys: new Set(committed.map((event) => event.key)).size,
    committed: committed.length,
    missing: committed.filter((event) => !seen.has(event.id)).length,
    repeated,
    unexpected,
    outOfOrderKeys,
  };
}
