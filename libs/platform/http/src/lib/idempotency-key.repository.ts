import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

import type { StoredIdempotencyKey } from './idempotency.policy';

interface KeyRow {
  request_hash: string;
  state: 'in-flight' | 'completed';
  response_status: number | null;
  response_body: unknown;
}

/** The holder of an in-flight key: only it may complete or release the key. */
export interface IdempotencyLease {
  scope: string;
  key: string;
  token: string;
}

/** Another request took the key over after this one's lease expired; its effect must not commit. */
export class IdempotencyLeaseLostError extends Error {
  constructor() {
    super('The idempotency key was taken over after its lease expired');
  }
}

/** Idempotency keys in the service's schema: durable, so a retry after a restart still replays. */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * The lease on the key if this call now holds it: the key was free, or its holder's lease
   * expired (a crashed request; its effect never committed, since the effect and the
   * completion commit together). A takeover may carry another body: the crashed request left
   * no answer to be consistent with. The primary key makes this atomic across processes.
   */
  async claim(
    scope: string,
    key: string,
    requestHash: string,
    leaseSeconds: number,
  ): Promise<IdempotencyLease | undefined> {
    const rows = (await this.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, state, lease_token, lease_expires_at)
       VALUES ($1, $2, $3, 'in-flight', $4, now() + make_interval(secs => $5))
       ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
         lease_token = EXCLUDED.lease_token, lease_expires_at = EXCLUDED.lease_expires_at,
         created_at = now()
       WHERE idempotency_keys.state = 'in-flight' AND idempotency_keys.lease_expires_at <= now()
       RETURNING lease_token`,
      [scope, key, requestHash, randomUUID(), leaseSeconds],
    )) as { lease_token: string }[];
    const [row] = rows;
    return row === undefined ? undefined : { scope, key, token: row.lease_token };
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

  /**
   * Completes the key in the effect's transaction. Fenced by the lease token: when another
   * request took the key over, this throws and the transaction (the effect) rolls back.
   */
  async complete(
    transaction: EntityManager,
    lease: IdempotencyLease,
    status: number,
    body: unknown,
  ): Promise<void> {
    const [row] = (await transaction.query(
      `WITH completed AS (
         UPDATE idempotency_keys SET state = 'completed', response_status = $4,
           response_body = $5::jsonb, completed_at = now(), lease_token = NULL,
           lease_expires_at = NULL
         WHERE scope = $1 AND key = $2 AND lease_token = $3 AND state = 'in-flight'
         RETURNING 1)
       SELECT count(*)::int AS n FROM completed`,
      [lease.scope, lease.key, lease.token, status, JSON.stringify(body ?? null)],
    )) as { n: number }[];
    if (row?.n !== 1) throw new IdempotencyLeaseLostError();
  }

  /** A failed first attempt leaves no trace, so the client may correct and retry the key. */
  async release(lease: IdempotencyLease): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND lease_token = $3
         AND state = 'in-flight'`,
      [lease.scope, lease.key, lease.token],
    );
  }

  /**
   * Deletes completed keys older than the retention period, and in-flight keys whose lease
   * expired that long ago; returns how many. A retry after that is a new request.
   */
  async purgeOlderThan(retentionSeconds: number): Promise<number> {
    const [row] = (await this.dataSource.query(
      `WITH purged AS (
         DELETE FROM idempotency_keys
         WHERE (state = 'completed' AND completed_at < now() - make_interval(secs => $1))
            OR (state = 'in-flight' AND lease_expires_at < now() - make_interval(secs => $1))
         RETURNING 1)
       SELECT count(*)::int AS n FROM purged`,
      [retentionSeconds],
    )) as { n: number }[];
    return row?.n ?? 0;
  }
}
