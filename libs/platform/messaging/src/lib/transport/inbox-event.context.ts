import type { EventEnvelope } from '@implant-trace/contracts';
import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';

/**
 * What an `@EventPattern` handler receives through `@Ctx()`: the event's envelope and the
 * transaction that also records it in the inbox. Write the effect through this transaction,
 * or it is not exactly once.
 */
export class InboxEventContext extends BaseRpcContext<[EventEnvelope<object>, EntityManager]> {
  getEnvelope(): EventEnvelope<object> {
    return this.args[0];
  }

  getTransaction(): EntityManager {
    return this.args[1];
  }
}
