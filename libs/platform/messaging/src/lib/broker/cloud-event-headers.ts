import type { EventEnvelope } from '@implant-trace/contracts';

export const CE_HEADERS = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  specversion: 'ce_specversion',
  subject: 'ce_subject',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  contentType: 'content-type',
} as const;

export type MessageHeaders = Record<string, string>;

/** CloudEvents 1.0 Kafka binary mode: attributes in headers, the payload as the body. */
export function cloudEventHeaders(envelope: Omit<EventEnvelope, 'data'>): MessageHeaders {
  const headers: MessageHeaders = {
    [CE_HEADERS.id]: envelope.id,
    [CE_HEADERS.type]: envelope.type,
    [CE_HEADERS.source]: envelope.source,
    [CE_HEADERS.time]: envelope.time,
    [CE_HEADERS.specversion]: '1.0',
    [CE_HEADERS.subject]: envelope.subject,
    [CE_HEADERS.contentType]: 'application/json',
  };
  if (envelope.correlationId !== undefined)
    headers[CE_HEADERS.correlationId] = envelope.correlationId;
  if (envelope.causationId !== undefined) headers[CE_HEADERS.causationId] = envelope.causationId;
  return headers;
}

export type EnvelopeAttributes = Omit<EventEnvelope, 'data'>;

/** Reads the envelope attributes back; `undefined` when a required one is missing. */
export function envelopeAttributes(headers: MessageHeaders): EnvelopeAttributes | undefined {
  const id = headers[CE_HEADERS.id];
  const type = headers[CE_HEADERS.type];
  const source = headers[CE_HEADERS.source];
  const time = headers[CE_HEADERS.time];
  const subject = headers[CE_HEADERS.subject];
  if (!id || !type || !source || !time || subject === undefined) return undefined;
  const attributes: EnvelopeAttributes = { id, type, source, time, subject };
  const correlationId = headers[CE_HEADERS.correlationId];
  const causationId = headers[CE_HEADERS.causationId];
  if (correlationId !== undefined) attributes.correlationId = correlationId;
  if (causationId !== undefined) attributes.causationId = causationId;
  return attributes;
}
