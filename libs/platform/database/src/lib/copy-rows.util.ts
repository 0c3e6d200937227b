import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

export type CopyValue = string | number | boolean | null | undefined;

/** Rows per write to the COPY stream: large enough that a chunk is a handful of writes. */
const ROWS_PER_WRITE = 2000;

/**
 * One field of COPY's text format: `\N` for NULL, and the four characters that would end a
 * field or a row escaped (PostgreSQL's own rules for the text format). Hand written: it is the
 * whole of the format, and no package of the workspace encodes it.
 */
function field(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(
        /[\\\t\n\r]/g,
        (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c,
      )
    : text;
}

/** The pg client behind a transaction's EntityManager (COPY needs the driver's own stream). */
async function clientOf(manager: EntityManager): Promise<PoolClient> {
  const runner = manager.queryRunner;
  if (runner === undefined || !runner.isTransactionActive) {
    throw new Error('copyRows must run inside a transaction');
  }
  return (await runner.connect()) as PoolClient;
}

/**
 * Streams rows into `target` (`table (column, …)`) with `COPY … FROM STDIN` inside the caller's
 * transaction: one round trip for any number of rows, where a multi-row INSERT would bind
 * every value as a parameter.
 */
export async function copyRows(
  manager: EntityManager,
  target: string,
  rows: readonly (readonly CopyValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const client = await clientOf(manager);
  function* text() {
    for (let start = 0; start < rows.length; start += ROWS_PER_WRITE) {
      yield rows
        .slice(start, start + ROWS_PER_WRITE)
        .map((row) => `${row.map(field).join('\t')}\n`)
        .join('');
    }
  }
  await pipeline(Readable.from(text()), client.query(copyFrom(`COPY ${target} FROM STDIN`)));
}
