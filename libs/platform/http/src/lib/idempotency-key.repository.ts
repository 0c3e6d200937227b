import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { StoredIdempotencyKey } from './idempotency.policy';

interface KeyRow {
  request_hash: string;
  state: 'in-flight' | 'completed';
  response_status: number | null;
  response_body: unknown;
}

/** Idempotency keys in the service's schema: durable, so a retry after a restart still replays. */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** True if this call now owns the key (the primary key makes this atomic across processes). */
  async claim(scope: string, key: string, requestHash: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, state) VALUES ($1, $2, $3, 'in-flight')
       ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, requestHash],
    )) as unknown[];
    return rows.length === 1;
  }

  async find(scope: string, key: string): Promise<StoredIdempotencyKey | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT request_hash, state, response_status, response_body FROM idempotency_keys
       WHERE scope = $1 AND key = $2`,
      [scope, key],
    )) as KeyRow[];
    return row === undefined
      ? undefined
      : {
          requestHash: row.request_hash,
          state: row.state,
          responseStatus: row.response_status,
          responseBody: row.response_body,
        };
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'completed', response_status = $3,
         response_body = $4::jsonb, completed_at = now() WHERE scope = $1 AND key = $2`,
      [scope, key, status, JSON.stringify(body ?? null)],
    );
  }

  /** A failed first attempt leaves no trace, so the client may correct and retry the key. */
  async release(scope: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'in-flight'`,
      [scope, key],
    );
  }
}
