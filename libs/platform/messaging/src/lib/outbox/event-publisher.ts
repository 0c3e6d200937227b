import type { EventDefinition } from '@implant-trace/contracts';
import { validateEventPayload } from '@implant-trace/contracts';
import { uuidV7 } from '@implant-trace/identifiers';
import type { EntityManager } from 'typeorm';

import { cloudEventHeaders } from '../broker/cloud-event-headers';
import type { NewOutboxRow, OutboxRepository } from './outbox.repository';

export interface PublishOptions {
  /** Reuse the id minted where the fact was first recorded, so a retry carries the same id. */
  eventId?: string;
  correlationId?: string;
  causationId?: string;
  time?: Date;
}

export class EventValidationError extends Error {
  constructor(
    readonly eventType: string,
    readonly errors: { field: string; message: string }[],
  ) {
    super(
      `${eventType} payload is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
    );
    this.name = 'EventValidationError';
  }
}

/**
 * Writes events into the calling service's outbox inside the caller's transaction: the
 * event exists exactly when the state change it describes was committed.
 */
export class EventPublisher {
  constructor(
    private readonly source: string,
    private readonly outbox: OutboxRepository,
  ) {}

  async publish<P extends object>(
    transaction: EntityManager,
    definition: EventDefinition<P>,
    data: P,
    options: PublishOptions = {},
  ): Promise<string> {
    const [id] = await this.publishMany(transaction, definition, [{ data, options }]);
    return id as string;
  }

  /** Several events of one type in one statement (bulk imports, batch effects). */
  async publishMany<P extends object>(
    transaction: EntityManager,
    definition: EventDefinition<P>,
    events: readonly { data: P; options?: PublishOptions }[],
  ): Promise<string[]> {
    if (!transaction.queryRunner?.isTransactionActive) {
      throw new Error('EventPublisher.publish must run inside the state change transaction');
    }
    const rows = events.map(({ data, options = {} }) => this.outboxRow(definition, data, options));
    await this.outbox.insert(
      transaction,
      { topic: definition.topic.name, type: definition.type },
      rows,
    );
    return rows.map((r) => r.eventId);
  }

  private outboxRow<P extends object>(
    definition: EventDefinition<P>,
    data: P,
    options: PublishOptions,
  ): NewOutboxRow {
    const validation = validateEventPayload(definition, data, 'publish');
    if (!validation.ok) throw new EventValidationError(definition.type, validation.errors);
    const subject = String(data[definition.keyField]);
    const id = options.eventId ?? uuidV7();
    const headers = cloudEventHeaders({
      id,
      type: definition.type,
      source: this.source,
      time: (options.time ?? new Date()).toISOString(),
      subject,
      ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
      ...(options.causationId === undefined ? {} : { causationId: options.causationId }),
    });
    return { eventId: id, messageKey: subject, headers, payload: JSON.stringify(data) };
  }
}
