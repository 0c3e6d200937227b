import type { EventEnvelope } from '@implant-trace/contracts';
import type { EntityManager } from 'typeorm';

/** Applies one event's effect inside the transaction that also records it in the inbox. */
export type EventHandler<P> = (
  event: EventEnvelope<P>,
  transaction: EntityManager,
) => Promise<void>;

/** Thrown by a handler when the event can never be applied: it goes to the dead-letter topic. */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}
