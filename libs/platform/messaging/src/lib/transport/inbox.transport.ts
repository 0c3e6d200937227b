import type { EventDefinition } from '@implant-trace/contracts';
import { eventDefinitionOf } from '@implant-trace/contracts';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';

import type { EventConsumer, EventConsumerOptions } from '../consumer/event-consumer';
import { INBOX_BATCH_EXTRA, InboxBatchContext } from './event-batch-pattern.decorator';
import { InboxEventContext } from './inbox-event.context';

/** Builds the consumer the transport runs; the messaging module adds metrics and health. */
export type InboxConsumerBuilder = (options: EventConsumerOptions) => EventConsumer;

export interface InboxTransportOptions {
  /** Kafka consumer group, and the consumer's name in the inbox. */
  groupId: string;
  /** Partitions applied in parallel (the consumer's default when not given). */
  partitionsConsumedConcurrently?: number;
}

/**
 * A Nest transport over the library's inbox consumer: each `@EventPattern(EVENTS.x.type)`
 * method of the app's controllers becomes the handler of that event, called with the
 * validated payload (`@Payload()`) and an {@link InboxEventContext} (`@Ctx()`); an
 * `@EventBatchPattern` method becomes its batch handler. Validation,
 * the inbox row in the effect's transaction, offsets after effects, the dead-letter topic and
 * pause-and-retry all stay in {@link EventConsumer}; this class only routes.
 */
export class InboxTransport extends Server implements CustomTransportStrategy {
  private consumer: EventConsumer | undefined;

  constructor(
    private readonly buildConsumer: InboxConsumerBuilder,
    private readonly options: InboxTransportOptions,
  ) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }

  /** The transport has no events of its own to subscribe to. */
  on(): void {
    throw new Error('InboxTransport emits no events; watch /health and /metrics instead');
  }

  unwrap<T>(): T {
    if (this.consumer === undefined) throw new Error('InboxTransport is not listening');
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    const routes = [...this.getHandlers()].map(([pattern, handler]) => ({
      definition: this.definitionFor(pattern, handler.isEventHandler === true),
      batch: handler.extras?.[INBOX_BATCH_EXTRA] === true,
    }));
    if (routes.length === 0) return;
    const topics = [
      ...new Map(
        routes.map(({ definition }) => [definition.topic.name, definition.topic]),
      ).values(),
    ];
    const consumer = this.buildConsumer({ ...this.options, topics });
    for (const { definition, batch } of routes) {
      if (batch) {
        consumer.onBatch(definition, (envelopes, transaction) =>
          this.dispatch(
            definition.type,
            envelopes.map((envelope) => envelope.data),
            new InboxBatchContext([envelopes, transaction]),
          ),
        );
      } else {
        consumer.on(definition, (envelope, transaction) =>
          this.dispatch(
            definition.type,
            envelope.data,
            new InboxEventContext([envelope, transaction]),
          ),
        );
      }
    }
    this.consumer = consumer;
    await consumer.start();
  }

  /** Fails at start-up, not at the first message, when a pattern names no known event. */
  private definitionFor(pattern: string, isEventHandler: boolean): EventDefinition {
    const definition = eventDefinitionOf(pattern);
    if (!isEventHandler) {
      throw new Error(`'${pattern}' is a @MessagePattern; events are consumed with @EventPattern`);
    }
    if (definition === undefined) {
      throw new Error(`@EventPattern('${pattern}') names no event type of the contracts`);
    }
    return definition;
  }

  /** Rejects when the handler fails, so the consumer rolls its transaction back. */
  private async dispatch(
    pattern: string,
    payload: object | readonly object[],
    context: InboxEventContext | InboxBatchContext,
  ): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (handler === null) throw new Error(`no handler for ${pattern}`);
    const result: unknown = await handler(payload, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}
