import { randomUUID } from 'node:crypto';

import type { JsonBody } from './recall-matching-client';

/** One call to a service's API as a user with the given token; every call has its own key. */
export async function callService(
  baseUrl: string,
  method: string,
  path: string,
  bearer: string,
  body?: unknown,
): Promise<{ status: number; body: JsonBody }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as JsonBody };
}
