import { randomBytes } from 'node:crypto';

/** A name unique to this test run, safe as a SQL identifier, topic or Redis key part. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
