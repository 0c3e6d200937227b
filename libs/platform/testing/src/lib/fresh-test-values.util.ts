import { randomInt } from 'node:crypto';

import { gs1CheckDigit } from '@implant-trace/udi';
import { Client } from 'pg';

import { testInfrastructure } from './test-infrastructure.util';

/** A GTIN-14 of this run only (the shared topics hold every earlier run's devices too). */
export function freshGtin(indicator = '0'): string {
  const body = `${indicator}${String(randomInt(10 ** 11, 10 ** 12))}`;
  return `${body}${gs1CheckDigit(body)}`;
}

/**
 * An ODS code of this run only (a letter, then four letters or digits: 43 million of them), so
 * that runs sharing the topics do not see each other's hospitals.
 */
export function freshOds(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const alphabet = `${letters}0123456789`;
  const pick = (from: string) => from[randomInt(from.length)] ?? 'A';
  return `${pick(letters)}${pick(alphabet)}${pick(alphabet)}${pick(alphabet)}${pick(alphabet)}`;
}

/** Drops a test's schema and everything in it from the test database. */
export async function dropTestSchema(schema: string): Promise<void> {
  // A bare client: the database library's own tests use this one, so it cannot use that library.
  const client = new Client({ connectionString: testInfrastructure().databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
  } finally {
    await client.end();
  }
}
