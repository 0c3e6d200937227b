import type { EventEnvelope } from '@implant-trace/contracts';
import { BaseRpcContext, EventPattern } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';

/** The `@EventPattern` extra that makes the inbox transport hand the method runs of events. */
export const INBOX_BATCH_EXTRA = 'inboxBatch';

/**
 * `@EventPattern` for a method that applies a run of consecutive events of the type at once
 * (the consumer's `onBatch`): it is called with the run's payloads in offset order
 * (`@Payload()`) and an {@link InboxBatchContext} (`@Ctx()`). It must leave what applying the
 * events one by one would; a `PermanentEventError` still dead-letters only the event to blame.
 */
export function EventBatchPattern(type: string): MethodDecorator {
  return EventPattern(type, { [INBOX_BATCH_EXTRA]: true });
}

/** What an `@EventBatchPattern` method receives through `@Ctx()`. */
export class InboxBatchContext extends BaseRpcContext<
  [readonly EventEnvelope<object>[], EntityManager]
> {
  getEnvelopes(): readonly EventEnvelope<object>[] {
    return this.args[0];
  }

  getTransaction(): EntityManager {
    return this.args[1];
  }
}
