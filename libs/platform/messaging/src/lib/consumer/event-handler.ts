import type { EventEnvelope } from '@implant-trace/contracts';
import type { EntityManager } from 'typeorm';

/** Applies one event's effect inside the transaction that also records it in the inbox. */
export type EventHandler<P> = (
  event: EventEnvelope<P>,
  transaction: EntityManager,
) => Promise<void>;

/**
 * Applies a run of consecutive events of one type, in their order, inside the transaction that
 * records them in the inbox: one statement for the run where a handler per event makes a
 * database round trip each, which is what a rebuild from a topic spends its time on. Events of
 * the run may share a key; the handler must leave what applying them one by one would.
 */
export type EventBatchHandler<P> = (
  events: readonly EventEnvelope<P>[],
  transaction: EntityManager,
) => Promise<void>;

/** Thrown by a handler when the event can never be applied: it goes to the dead-letter topic. */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}
