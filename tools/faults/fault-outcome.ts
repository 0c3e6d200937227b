// What a fault did to the requests made while it lasted (recordings, follow-ups, stages of
// acknowledgement): pure counting over what the clients were told and what the services hold at
// the end, so it can be unit-tested.

import type { SentRequest } from './until-acknowledged';

/** One recording as the load generator made it; `acknowledgedAt` is its first 2xx. */
export interface SentRecording extends SentRequest {
  serial: string;
  hospitalOds: string;
  /** Of the recalled lot: a match and a webhook must follow. */
  recalled: boolean;
  implantId?: string;
}

/** A hospital's follow-up of a match it was told of. */
export interface SentFollowUp extends SentRequest {
  matchId: string;
  hospitalOds: string;
}

/** A stage of a hospital's acknowledgement of the recall. */
export interface SentAcknowledgement extends SentRequest {
  hospitalOds: string;
  stage: string;
}

/** What the hospitals' systems sent while the faults went on. */
export interface HospitalRequests {
  followUps: readonly SentFollowUp[];
  acknowledgements: readonly SentAcknowledgement[];
}

/** What the platform holds once it is quiet again. */
export interface FinalState {
  /** Implant rows in implant-events, by serial (a serial recorded twice would be a duplicate). */
  implantsBySerial: ReadonlyMap<string, readonly string[]>;
  /** Match rows in recall-matching for the recall, by implant. */
  matchesByImplant: ReadonlyMap<string, readonly string[]>;
  /** recall.match.found webhook ids verified at each hospital's endpoint, by implant. */
  noticesByImplant: ReadonlyMap<string, { hospitalOds: string; ids: readonly string[] }[]>;
  /** Follow-up rows in recall-matching, by match. */
  followUpsByMatch: ReadonlyMap<string, readonly string[]>;
  /** Stages stored by notifications, by hospital (one row per hospital and stage). */
  stagesByHospital: ReadonlyMap<string, readonly string[]>;
  /** Each hospital's stage in the regulator's progress view, fed by notifications' events. */
  progressStageByHospital: ReadonlyMap<string, string | undefined>;
  /** The regulator's follow-up counts, by outcome. */
  progressFollowUps: Readonly<Record<string, number>>;
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
  /** Recordings, follow-ups and stages sent while the fault lasted. */
  inFlight: number;
  /** Of those, the follow-ups and the stages of acknowledgement. */
  followUps: number;
  stages: number;
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

/** An acknowledged follow-up with no row, or with more than one: the retry recorded twice. */
export const isFollowUpLost = (followUp: SentFollowUp, state: FinalState) =>
  followUp.acknowledgedAt !== undefined &&
  (state.followUpsByMatch.get(followUp.matchId) ?? []).length === 0;
export const isFollowUpDuplicated = (followUp: SentFollowUp, state: FinalState) =>
  (state.followUpsByMatch.get(followUp.matchId) ?? []).length > 1;

/** An acknowledged stage notifications does not hold, or holds more than once. */
export const isStageLost = (stage: SentAcknowledgement, state: FinalState) =>
  stage.acknowledgedAt !== undefined &&
  !(state.stagesByHospital.get(stage.hospitalOds) ?? []).includes(stage.stage);
export const isStageDuplicated = (stage: SentAcknowledgement, state: FinalState) =>
  (state.stagesByHospital.get(stage.hospitalOds) ?? []).filter((s) => s === stage.stage).length > 1;

export function faultOutcome(
  window: FaultWindow,
  recordings: readonly SentRecording[],
  hospitals: HospitalRequests,
  state: FinalState,
): FaultOutcome {
  const during = <T extends SentRequest>(requests: readonly T[]) =>
    requests.filter((r) => r.sentAt >= window.injectedAt && r.sentAt < window.endedAt);
  const inWindow = during(recordings);
  const followUps = during(hospitals.followUps);
  const stages = during(hospitals.acknowledgements);
  const requests: SentRequest[] = [...inWindow, ...followUps, ...stages];
  const firstRecovered = recordings
    .filter((recording) => recording.sentAt >= window.injectedAt)
    .map((recording) => recording.acknowledgedAt)
    .filter((at): at is number => at !== undefined)
    .sort((a, b) => a - b)[0];
  return {
    fault: window.fault,
    proof: window.proof,
    inFlight: requests.length,
    followUps: followUps.length,
    stages: stages.length,
    acknowledged: requests.filter((request) => request.acknowledgedAt !== undefined).length,
    unacknowledged: requests.filter((request) => request.acknowledgedAt === undefined).length,
    lost:
      inWindow.filter((recording) => isLost(recording, state)).length +
      followUps.filter((followUp) => isFollowUpLost(followUp, state)).length +
      stages.filter((stage) => isStageLost(stage, state)).length,
    duplicated:
      inWindow.filter((recording) => isDuplicated(recording, state)).length +
      followUps.filter((followUp) => isFollowUpDuplicated(followUp, state)).length +
      stages.filter((stage) => isStageDuplicated(stage, state)).length,
    recoverySeconds:
      firstRecovered === undefined ? undefined : (firstRecovered - window.injectedAt) / 1000,
  };
}

/**
 * The final state a run without faults reaches from the same acknowledged requests: every
 * implant once, each recalled one matched once and told to its own hospital once, each match
 * followed up once, each hospital's stages stored once and its furthest shown to the regulator,
 * the follow-ups counted there. Returns what differs; empty when the run with faults ended in
 * that state.
 */
export function differencesFromFaultFree(
  recordings: readonly SentRecording[],
  hospitals: HospitalRequests,
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
  differences.push(...followUpDifferences(hospitals.followUps, state));
  differences.push(...stageDifferences(hospitals.acknowledgements, state));
  return differences;
}

function followUpDifferences(followUps: readonly SentFollowUp[], state: FinalState): string[] {
  const differences: string[] = [];
  const acknowledged = followUps.filter((followUp) => followUp.acknowledgedAt !== undefined);
  const followedUp = new Set(acknowledged.map((followUp) => followUp.matchId));
  for (const followUp of acknowledged) {
    if (isFollowUpLost(followUp, state)) differences.push(`follow-up of ${followUp.matchId} lost`);
  }
  for (const followUp of followUps) {
    if (isFollowUpDuplicated(followUp, state)) {
      differences.push(`follow-up of ${followUp.matchId} recorded twice`);
    }
  }
  const unexpected = [...state.followUpsByMatch.keys()].filter((id) => !followedUp.has(id));
  if (unexpected.length > 0) {
    differences.push(`${unexpected.length} follow-ups recorded that no 2xx acknowledged`);
  }
  const counted = state.progressFollowUps['contacted'] ?? 0;
  if (counted !== followedUp.size) {
    differences.push(`the regulator counts ${counted} follow-ups, ${followedUp.size} were made`);
  }
  return differences;
}

/**
 * Each hospital's furthest acknowledged stage. Stages go out in order, each after the one
 * before it, so the last acknowledged is the furthest.
 */
export function furthestAcknowledgedStages(
  stages: readonly SentAcknowledgement[],
): Map<string, string> {
  const reached = new Map<string, string>();
  for (const stage of stages) {
    if (stage.acknowledgedAt !== undefined) reached.set(stage.hospitalOds, stage.stage);
  }
  return reached;
}

function stageDifferences(stages: readonly SentAcknowledgement[], state: FinalState): string[] {
  const differences: string[] = [];
  const hospitals = new Set(stages.map((stage) => stage.hospitalOds));
  const reached = furthestAcknowledgedStages(stages);
  for (const hospitalOds of hospitals) {
    const sent = stages.filter((stage) => stage.hospitalOds === hospitalOds);
    const acknowledged = sent.filter((stage) => stage.acknowledgedAt !== undefined);
    for (const stage of sent) {
      if (isStageLost(stage, state)) differences.push(`${hospitalOds} ${stage.stage} lost`);
      if (isStageDuplicated(stage, state)) {
        differences.push(`${hospitalOds} ${stage.stage} stored twice`);
      }
    }
    const stored = state.stagesByHospital.get(hospitalOds) ?? [];
    const unacknowledged = stored.filter((s) => !acknowledged.some((stage) => stage.stage === s));
    if (unacknowledged.length > 0) {
      differences.push(`${hospitalOds} stages stored that no 2xx acknowledged: ${unacknowledged}`);
    }
    const furthest = reached.get(hospitalOds);
    const shown = state.progressStageByHospital.get(hospitalOds);
    if (shown !== furthest) {
      differences.push(`the regulator sees ${hospitalOds} at ${shown}, it reached ${furthest}`);
    }
  }
  return differences;
}

/** One event as its service committed it to the outbox, or as it was read from its topic. */
export interface KeyedEvent {
  key: string;
  id: string;
  /** Committed events: when the outbox row was written, and when its transaction committed (µs). */
  createdAt?: number;
  committedAt?: number;
}

/**
 * Whether `earlier` (a lower outbox id of the same key) must reach the topic before `later`:
 * when its transaction committed before `later` was written, every relay that can see `later`
 * sees it too, and sends the lower id first. Two transactions writing one key at once (a match
 * found by the consumer while a hospital's follow-up is recorded over HTTP) are in no order,
 * and a relay may send either first. Without commit times, outbox order is the order.
 */
function mustPrecede(earlier: KeyedEvent, later: KeyedEvent): boolean {
  if (earlier.committedAt === undefined || later.createdAt === undefined) return true;
  return earlier.committedAt < later.createdAt;
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
 * first copy of each event, in topic order, must follow the outbox order wherever one event's
 * transaction committed before the other was written ({@link mustPrecede}). Pure, for unit tests.
 */
export function keyOrderOutcome(
  topic: string,
  committed: readonly KeyedEvent[],
  onTopic: readonly KeyedEvent[],
): KeyOrderOutcome {
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
  const positionOnTopic = new Map(firstCopies.map((event, position) => [event.id, position]));
  const committedByKey = new Map<string, KeyedEvent[]>();
  for (const event of committed) {
    if (!seen.has(event.id)) continue;
    const events = committedByKey.get(event.key) ?? [];
    events.push(event);
    committedByKey.set(event.key, events);
  }
  const outOfOrderKeys = [...committedByKey]
    .filter(([, events]) =>
      events.some((later, index) =>
        events
          .slice(0, index)
          .some(
            (earlier) =>
              mustPrecede(earlier, later) &&
              (positionOnTopic.get(earlier.id) ?? 0) > (positionOnTopic.get(later.id) ?? 0),
          ),
      ),
    )
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
