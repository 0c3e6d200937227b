import { AsyncLocalStorage } from 'node:async_hooks';

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager, QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';

/** The transaction of a request: begun on first use; ended with the request, so nothing joins late. */
interface RequestTransaction {
  begin(): Promise<EntityManager>;
  ended: boolean;
}

const requestTransaction = new AsyncLocalStorage<RequestTransaction>();

/**
 * Runs `scope` in one transaction that every `UnitOfWork.run` called inside it joins, and
 * commits when `scope` resolves (rolls back when it rejects). The idempotency interceptor
 * wraps an idempotent write in one, so the write's effect and its completed key commit together.
 *
 * The transaction takes its connection only when first used (`transaction()`, or a
 * `UnitOfWork.run`), not when the request arrives: a handler that reads through the pool before
 * it writes (the scan check before a recording) would otherwise hold one connection while it
 * waits for another, and a burst of requests as large as the pool would wait on each other
 * until the database's idle-in-transaction timeout broke them.
 */
export async function inRequestTransaction<T>(
  dataSource: DataSource,
  scope: (transaction: () => Promise<EntityManager>) => Promise<T>,
): Promise<T> {
  let runner: QueryRunner | undefined;
  let begun: Promise<EntityManager> | undefined;
  const state: RequestTransaction = {
    ended: false,
    begin: () => {
      if (state.ended) throw new Error('the request transaction has ended');
      begun ??= (async () => {
        runner = dataSource.createQueryRunner();
        await runner.connect();
        await runner.startTransaction();
        return runner.manager;
      })();
      return begun;
    },
  };
  try {
    const result = await requestTransaction.run(state, () => scope(state.begin));
    if (runner !== undefined) await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner?.isTransactionActive === true) {
      // The cause is what the caller needs; a failed rollback ends with the connection anyway.
      await runner.rollbackTransaction().catch(() => undefined);
    }
    throw error;
  } finally {
    state.ended = true;
    await runner?.release();
  }
}

/**
 * How a use case writes: `run` joins the transaction of the request it serves when there is
 * one (an idempotent write), and opens its own otherwise (a consumer, a script, a test).
 */
@Injectable()
export class UnitOfWork {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async run<T>(work: (transaction: EntityManager) => Promise<T>): Promise<T> {
    const joined = requestTransaction.getStore();
    if (joined === undefined || joined.ended) return this.dataSource.transaction(work);
    return work(await joined.begin());
  }
}
