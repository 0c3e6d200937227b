import type { Clock } from '@implant-trace/domain-kernel';

/**
 * Scans and recordings made while the network or a service is down wait in the browser and are
 * sent when it returns. Each carries the Idempotency-Key it was made with, so a send that
 * reached the service but whose answer was lost is answered with the first result when retried,
 * never recorded twice. Entries are deleted only when a person has seen the outcome.
 */

export type QueuedKind = 'check-scan' | 'record-implant';

export type QueueEntryState =
  /** Waiting to be sent (never sent, or the last try did not reach the service). */
  | 'queued'
  /** The service answered with a result; kept until a person has seen it. */
  | 'sent'
  /** The service refused it for good (bad input); kept until a person has dealt with it. */
  | 'rejected';

export interface QueueEntry {
  /** Also the Idempotency-Key of every try. */
  id: string;
  kind: QueuedKind;
  /** Path under the page's origin, e.g. `/api/implant-events/v1/implants`. */
  path: string;
  body: unknown;
  /** What the entry is, in words for the queue list (device and patient, no result). */
  summary: string;
  createdAt: string;
  attempts: number;
  state: QueueEntryState;
  lastAttemptAt?: string;
  /** Why the last try failed, while queued, or why it was refused. */
  problem?: string;
  /** The service's answer once sent or refused. */
  response?: { status: number; body: unknown };
}

/** Where the entries live (IndexedDB in the browser, a Map in tests). */
export interface QueueStore {
  all(): Promise<QueueEntry[]>;
  put(entry: QueueEntry): Promise<void>;
  delete(id: string): Promise<void>;
}

export type SendResult =
  { kind: 'unreachable'; problem: string } | { kind: 'answered'; status: number; body: unknown };

/** Sends one entry with `Idempotency-Key: entry.id`. Must not throw for network failures. */
export type QueueSender = (entry: QueueEntry) => Promise<SendResult>;

export type AttemptDecision = 'sent' | 'retry' | 'rejected' | 'sign-in-needed';

/**
 * What an answer means for the entry. A gateway or service error, a timeout or a rate limit may
 * pass: retry. 401 means the sign-in expired: keep the entry, ask the person to sign in again.
 * Any other 4xx will be refused again whatever happens: retrying would hide it.
 */
export function decideAttempt(result: SendResult): AttemptDecision {
  if (result.kind === 'unreachable') return 'retry';
  const { status } = result;
  if (status >= 200 && status < 300) return 'sent';
  if (status === 401) return 'sign-in-needed';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

export interface NewQueueEntry {
  kind: QueuedKind;
  path: string;
  body: unknown;
  summary: string;
}

export interface DrainReport {
  /** Entries the service answered in this drain, in the order they were made. */
  sent: QueueEntry[];
  rejected: QueueEntry[];
  /** True when the drain stopped at an entry the service could not be reached for. */
  stillOffline: boolean;
  signInNeeded: boolean;
}

export class OfflineQueue {
  private draining: Promise<DrainReport> | undefined;

  constructor(
    private readonly store: QueueStore,
    private readonly send: QueueSender,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  /** Stores the entry before anything is sent: a reload or a crash after this loses nothing. */
  async enqueue(request: NewQueueEntry): Promise<QueueEntry> {
    const entry: QueueEntry = {
      ...request,
      id: this.newId(),
      createdAt: this.clock.now().toISOString(),
      attempts: 0,
      state: 'queued',
    };
    await this.store.put(entry);
    return entry;
  }

  /** Everything the queue holds, oldest first. */
  async entries(): Promise<QueueEntry[]> {
    const all = await this.store.all();
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Removes an entry whose outcome a person has seen. Queued entries are never dismissed. */
  async dismiss(id: string): Promise<void> {
    const entry = (await this.store.all()).find((candidate) => candidate.id === id);
    if (entry !== undefined && entry.state !== 'queued') await this.store.delete(id);
  }

  /**
   * Sends the queued entries oldest first, one at a time (so recordings reach the service in
   * the order they were made), stopping at the first that cannot get through. Concurrent calls
   * share one drain, so no entry is sent twice at once.
   */
  drain(): Promise<DrainReport> {
    this.draining ??= this.drainOnce().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainOnce(): Promise<DrainReport> {
    const report: DrainReport = {
      sent: [],
      rejected: [],
      stillOffline: false,
      signInNeeded: false,
    };
    for (const entry of await this.entries()) {
      if (entry.state !== 'queued') continue;
      const result = await this.send(entry);
      const decision = decideAttempt(result);
      const tried: QueueEntry = {
        ...entry,
        attempts: entry.attempts + 1,
        lastAttemptAt: this.clock.now().toISOString(),
      };
      switch (decision) {
        case 'sent':
        case 'rejected': {
          const answered = result as Extract<SendResult, { kind: 'answered' }>;
          const done: QueueEntry = {
            ...tried,
            state: decision,
            response: { status: answered.status, body: answered.body },
          };
          if (decision === 'rejected') done.problem = problemOf(answered.body, answered.status);
          else delete done.problem;
          await this.store.put(done);
          (decision === 'sent' ? report.sent : report.rejected).push(done);
          break;
        }
        case 'retry':
        case 'sign-in-needed':
          await this.store.put({
            ...tried,
            problem:
              result.kind === 'unreachable'
                ? result.problem
                : decision === 'sign-in-needed'
                  ? 'Sign in again to send'
                  : `The service answered ${result.status}`,
          });
          report.stillOffline = decision === 'retry';
          report.signInNeeded = decision === 'sign-in-needed';
          return report;
      }
    }
    return report;
  }
}

/** The problem+json title and detail of a refusal, or its status. */
function problemOf(body: unknown, status: number): string {
  if (typeof body === 'object' && body !== null) {
    const { title, detail } = body as { title?: unknown; detail?: unknown };
    const parts = [title, detail].filter((part): part is string => typeof part === 'string');
    if (parts.length > 0) return parts.join(': ');
  }
  return `Refused with status ${status}`;
}
