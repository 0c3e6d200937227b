import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

import { signingSecretsAt, webhookSignature } from './webhook-signature.util';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;

function verifies(secretText: string, headers: Record<string, string>, body: string): boolean {
  try {
    new Webhook(secretText).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

describe('webhook signatures', () => {
  const oldSecret = secret();
  const newSecret = secret();
  const rotated = {
    secret: newSecret,
    previousSecret: oldSecret,
    previousSecretExpiresAt: new Date('2026-12-02T09:00:00Z'),
  };
  const body = JSON.stringify({ id: 'e1', type: 'recall.issued', data: {} });

  function headersAt(now: Date): Record<string, string> {
    return {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': webhookSignature(
        signingSecretsAt(rotated, now),
        'msg_1',
        new Date(),
        body,
      ),
    };
  }

  it('signs with both secrets during the grace period, each verifying on its own', () => {
    const headers = headersAt(new Date('2026-12-01T09:00:00Z'));
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifies(oldSecret, headers, body)).toBe(true);
    expect(verifies(newSecret, headers, body)).toBe(true);
  });

  it('signs with the new secret only once the grace period is over', () => {
    const headers = headersAt(new Date('2026-12-02T09:00:00Z'));
    expect(verifies(newSecret, headers, body)).toBe(true);
    expect(verifies(oldSecret, headers, body)).toBe(false);
  });

  it('does not verify a changed body', () => {
    const headers = headersAt(new Date('2026-12-01T09:00:00Z'));
    expect(verifies(newSecret, headers, `${body} `)).toBe(false);
  });
});
