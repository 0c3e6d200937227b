import type { HospitalEndpoint } from '@implant-trace/platform-testing';

import type { SentAcknowledgement, SentFollowUp } from './fault-outcome';
import { postUntilAcknowledged } from './until-acknowledged';

/** The stages each hospital acknowledges the recall through, in order. */
export const ACKNOWLEDGEMENT_STAGES = ['received', 'action-underway', 'action-complete'] as const;

export interface HospitalResponsesOptions {
  recallMatchingUrl: string;
  notificationsUrl: string;
  recallId: string;
  /** Each hospital's webhook endpoint: the matches it was told of are those it follows up. */
  endpoints: ReadonlyMap<string, HospitalEndpoint>;
  hospitalToken: (ods: string) => Promise<string>;
  /** How often the next acknowledgement goes out, hospital by hospital, stage by stage. */
  acknowledgeEveryMs: number;
}

/**
 * The hospitals' systems acting on the recall while the faults go on: each match a hospital
 * is told of is followed up (its patient contacted), and the hospitals acknowledge the recall
 * one stage at a time, spread over the run. Each request is sent as the recordings are, until
 * a 2xx answers it.
 */
export class HospitalResponses {
  readonly followUps: SentFollowUp[] = [];
  readonly acknowledgements: SentAcknowledgement[] = [];
  private readonly followedUp = new Set<string>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private nextAcknowledgement = 0;
  /** Each hospital's last stage sent: its next waits for it, as stages only move forward. */
  private readonly lastStageOf = new Map<string, Promise<unknown>>();

  constructor(private readonly options: HospitalResponsesOptions) {}

  start(): void {
    this.timers.push(setInterval(() => this.followUpNewMatches(), 1_000));
    this.acknowledgeNext();
    this.timers.push(setInterval(() => this.acknowledgeNext(), this.options.acknowledgeEveryMs));
  }

  /**
   * Follows up the matches told since the last look, sends the stages not yet sent, and waits
   * for every request to be answered or given up.
   */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.followUpNewMatches();
    while (this.nextAcknowledgement < this.stagesInAll()) this.acknowledgeNext();
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private stagesInAll(): number {
    return this.options.endpoints.size * ACKNOWLEDGEMENT_STAGES.length;
  }

  private followUpNewMatches(): void {
    for (const [hospitalOds, endpoint] of this.options.endpoints) {
      for (const notice of endpoint.ofType('recall.match.found')) {
        const matchId = String(notice['data']['matchId']);
        if (this.followedUp.has(matchId)) continue;
        this.followedUp.add(matchId);
        const followUp: SentFollowUp = { matchId, hospitalOds, sentAt: Date.now() };
        this.followUps.push(followUp);
        // Kept in `pending`, which stop() waits on.
        void this.send(
          followUp,
          hospitalOds,
          `${this.options.recallMatchingUrl}/v1/recalls/${this.options.recallId}/matches/${matchId}/follow-up`,
          { outcome: 'contacted' },
        );
      }
    }
  }

  /** Hospital by hospital, then the next stage, each after the hospital's stage before it. */
  private acknowledgeNext(): void {
    if (this.nextAcknowledgement >= this.stagesInAll()) return;
    const hospitals = [...this.options.endpoints.keys()];
    const index = this.nextAcknowledgement++;
    const hospitalOds = hospitals[index % hospitals.length] ?? '';
    const stage = ACKNOWLEDGEMENT_STAGES[Math.floor(index / hospitals.length)] ?? 'received';
    const acknowledgement: SentAcknowledgement = { hospitalOds, stage, sentAt: Date.now() };
    this.acknowledgements.push(acknowledgement);
    const sending = this.send(
      acknowledgement,
      hospitalOds,
      `${this.options.notificationsUrl}/v1/recalls/${this.options.recallId}/acknowledgements`,
      { stage },
      this.lastStageOf.get(hospitalOds),
    );
    this.lastStageOf.set(hospitalOds, sending);
  }

  private send(
    request: SentFollowUp | SentAcknowledgement,
    hospitalOds: string,
    url: string,
    body: unknown,
    after: Promise<unknown> = Promise.resolve(),
  ): Promise<unknown> {
    const sending: Promise<unknown> = after
      .then(() => {
        // A stage waiting behind the one before it counts as sent when it goes out.
        request.sentAt = Date.now();
        return this.options.hospitalToken(hospitalOds);
      })
      .then((bearer) => postUntilAcknowledged(request, url, bearer, body))
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
    return sending;
  }
}
