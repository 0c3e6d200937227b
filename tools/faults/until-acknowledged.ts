import { randomUUID } from 'node:crypto';

const GIVE_UP_AFTER_MS = 240_000;
const RETRY_PAUSE_MS = 500;

/** A request of the fault suite's clients, and when a 2xx first answered it. */
export interface SentRequest {
  sentAt: number;
  acknowledgedAt?: number;
}

/**
 * POSTs `body` as a client that cares about its records does: with one Idempotency-Key,
 * sent again until a 2xx answers it (a replay of the key answers as the first did) or four
 * minutes have passed. Marks `request` acknowledged and returns the 2xx's body.
 */
export async function postUntilAcknowledged(
  request: SentRequest,
  url: string,
  bearer: string,
  body: unknown,
): Promise<Record<string, unknown> | undefined> {
  const idempotencyKey = randomUUID();
  while (Date.now() - request.sentAt < GIVE_UP_AFTER_MS) {
    const answer = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    })
      .then(async (response) => ({
        status: response.status,
        body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
      }))
      .catch(() => undefined);
    if (answer !== undefined && answer.status >= 200 && answer.status < 300) {
      request.acknowledgedAt = Date.now();
      return answer.body;
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }
  return undefined;
}
