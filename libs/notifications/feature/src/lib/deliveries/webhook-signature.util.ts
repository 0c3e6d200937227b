import { Webhook } from 'standardwebhooks';

export interface SigningSecrets {
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** The secrets that sign at `now`: the current one, and the previous one during its grace. */
export function signingSecretsAt(subscription: SigningSecrets, now: Date): string[] {
  const { secret, previousSecret, previousSecretExpiresAt } = subscription;
  const graceOpen =
    previousSecret !== null &&
    previousSecretExpiresAt !== null &&
    previousSecretExpiresAt.getTime() > now.getTime();
  return graceOpen ? [secret, previousSecret] : [secret];
}

/**
 * The `webhook-signature` header: one `v1,<signature>` per secret, space separated, as Standard
 * Webhooks allows, so a receiver holding either secret during a rotation verifies the request.
 */
export function webhookSignature(
  secrets: readonly string[],
  webhookId: string,
  timestamp: Date,
  body: string,
): string {
  return secrets.map((secret) => new Webhook(secret).sign(webhookId, timestamp, body)).join(' ');
}
