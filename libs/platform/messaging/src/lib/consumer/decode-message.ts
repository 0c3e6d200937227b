import type { EventEnvelope } from '@implant-trace/contracts';
import { eventDefinitionOf, validateEventPayload } from '@implant-trace/contracts';

import type { MessageHeaders } from '../broker/cloud-event-headers';
import { envelopeAttributes } from '../broker/cloud-event-headers';

export type DecodeResult =
  { kind: 'event'; envelope: EventEnvelope<object> } | { kind: 'poison'; reason: string };

/**
 * Turns a raw message into a validated envelope, or says exactly why it never can be: the
 * reason travels to the dead-letter topic.
 */
export function decodeMessage(headers: MessageHeaders, value: Buffer | null): DecodeResult {
  const attributes = envelopeAttributes(headers);
  if (attributes === undefined) return { kind: 'poison', reason: 'missing CloudEvents headers' };
  const definition = eventDefinitionOf(attributes.type);
  if (definition === undefined) {
    return { kind: 'poison', reason: `unknown event type or version ${attributes.type}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(value?.toString('utf8') ?? '');
  } catch {
    return { kind: 'poison', reason: 'body is not valid JSON' };
  }
  const validation = validateEventPayload(definition, data, 'consume');
  if (!validation.ok) {
    const fields = validation.errors.map((e) => `${e.field || '(body)'}: ${e.message}`).join('; ');
    return { kind: 'poison', reason: `schema-invalid ${attributes.type}: ${fields}` };
  }
  return { kind: 'event', envelope: { ...attributes, data: validation.payload } };
}
