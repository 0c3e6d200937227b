import type { IHeaders } from 'kafkajs';

import type { MessageHeaders } from './cloud-event-headers';

/** Kafka header values arrive as buffers (or lists of them); our headers are single strings. */
export function stringHeaders(headers: IHeaders | undefined): MessageHeaders {
  const result: MessageHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}
