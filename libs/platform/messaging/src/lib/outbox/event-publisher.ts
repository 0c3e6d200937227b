import type { EventDefinition } from '@implant-trace/contracts';
import { validateEventPayload } from '@implant-trace/contracts';
import { uuidV7 } from '@implant-trace/identifiers';
import type { EntityManager } from 'typeorm';

import { cloudEventHeaders } from '../broker/cloud-event-headers';

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
  constructor(private readonly source: string) {}

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
    if (rows.length === 0) return [];
    await transaction.query(
      `INSERT INTO outbox (event_id, topic, message_key, event_type, headers, payload)
       SELECT id, $2, key, $3, headers, payload
       FROM unnest($1::uuid[], $4::text[], $5::jsonb[], $6::text[]) AS t(id, key, headers, payload)`,
      [
        rows.map((r) => r.id),
        definition.topic.name,
        definition.type,
        rows.map((r) => r.subject),
        rows.map((r) => JSON.stringify(r.headers)),
        rows.map((r) => r.payload),
      ],
    );
    return rows.map((r) => r.id);
  }

  private outboxRow<P extends object>(
    definition: EventDefinition<P>,
    data: P,
    options: PublishOptions,
  ) {
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
    return { id, subject, headers, payload: JSON.stringify(data) };
  }
}
