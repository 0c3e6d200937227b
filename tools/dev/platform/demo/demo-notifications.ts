import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import type { PlatformClient } from '../platform-client';
import type { DemoReceiver } from './demo-webhook-receivers';

/** What the demo hospitals' systems subscribe to: recalls and matches, not every implant. */
const EVENT_TYPES = [
  'recall.issued',
  'recall.updated',
  'recall.closed',
  'recall.match.found',
  'recall.match.withdrawn',
];

interface KnownSubscriptions {
  [ods: string]: { id: string; secret: string };
}

/**
 * Each demo hospital subscribes its receiver once. The secret is shown only when the
 * subscription is made, so it is kept in a mode-600 file under .cache (never committed); a later
 * start reuses a subscription that still exists and makes a new one otherwise.
 */
export async function subscribeDemoReceivers(
  client: PlatformClient,
  notificationsUrl: string,
  receivers: readonly DemoReceiver[],
  secretsFile: string,
): Promise<{ created: number; reused: number }> {
  const known: KnownSubscriptions = existsSync(secretsFile)
    ? (JSON.parse(readFileSync(secretsFile, 'utf8')) as KnownSubscriptions)
    : {};
  let created = 0;
  let reused = 0;
  for (const receiver of receivers) {
    const { ods } = receiver.hospital;
    const bearer = await client.token('hospital-system', ods, `demo-system-${ods}`);
    const listed = await client.call(`${notificationsUrl}/v1/subscriptions?limit=100`, { bearer });
    if (listed.status !== 200) {
      throw new Error(
        `GET /v1/subscriptions for ${ods} answered ${listed.status}: ${JSON.stringify(listed.body)}`,
      );
    }
    const items = (listed.body as { items: { id: string; url: string; status: string }[] }).items;
    const remembered = known[ods];
    const live = items.find(
      (item) => item.id === remembered?.id && item.url === receiver.url && item.status === 'active',
    );
    if (remembered !== undefined && live !== undefined) {
      receiver.secret = remembered.secret;
      reused += 1;
      continue;
    }
    const made = await client.call(`${notificationsUrl}/v1/subscriptions`, {
      method: 'POST',
      bearer,
      body: {
        url: receiver.url,
        eventTypes: EVENT_TYPES,
        description: `demo receiver standing in for ${receiver.hospital.name}'s system`,
      },
      idempotencyKey: `demo-subscription-${ods}-${Date.now()}`,
    });
    if (made.status !== 201) {
      throw new Error(
        `POST /v1/subscriptions for ${ods} answered ${made.status}: ${JSON.stringify(made.body)}`,
      );
    }
    const { id, secret } = made.body as { id: string; secret: string };
    known[ods] = { id, secret };
    receiver.secret = secret;
    created += 1;
  }
  writeFileSync(secretsFile, `${JSON.stringify(known, null, 2)}\n`, { mode: 0o600 });
  return { created, reused };
}
