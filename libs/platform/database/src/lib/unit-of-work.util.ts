import { AsyncLocalStorage } from 'node:async_hooks';

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

/** The transaction a request opened; emptied when it ends, so nothing can join it late. */
interface OpenTransaction {
  manager: EntityManager | undefined;
}

const requestTransaction = new AsyncLocalStorage<OpenTransaction>();

/**
 * Runs `scope` in one transaction that every `UnitOfWork.run` called inside it joins, and
 * commits when `scope` resolves (rolls back when it rejects). The idempotency interceptor
 * wraps an idempotent write in one, so the write's effect and its completed key commit together.
 */
export async function inRequestTransaction<T>(
  dataSource: DataSource,
  scope: (transaction: EntityManager) => Promise<T>,
): Promise<T> {
  const open: OpenTransaction = { manager: undefined };
  try {
    return await dataSource.transaction((manager) => {
      open.manager = manager;
      return requestTransaction.run(open, () => scope(manager));
    });
  } finally {
    open.manager = undefined;
  }
}

/**
 * How a use case writes: `run` joins the transaction of the request it serves when there is
 * one (an idempotent write), and opens its own otherwise (a consumer, a script, a test).
 */
@Injectable()
export class UnitOfWork {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  run<T>(work: (transaction: EntityManager) => Promise<T>): Promise<T> {
    const joined = requestTransaction.getStore()?.manager;
    return joined === undefined ? this.dataSource.transaction(work) : work(joined);
  }
}
