import type { Logger as PinoLogger } from 'pino';
import type { MixedList, EntitySchema } from 'typeorm';
import { DataSource } from 'typeorm';

import { DATABASE_SESSION_TIMEOUT_DEFAULTS } from '@implant-trace/platform-config';
import { createLogger } from '@implant-trace/platform-observability';

import { TypeOrmLoggerAdapter } from './typeorm-logger.adapter';

export interface DatabaseSessionTimeouts {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export interface SchemaDataSourceOptions {
  url: string;
  /** The one schema this service owns; every table, including migrations', lives there. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  migrations?: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
  /** Set on every pooled session; each one left out keeps the platform default. */
  sessionTimeouts?: Partial<DatabaseSessionTimeouts>;
  /**
   * Where TypeORM's own log lines go (the service's logger); by default a JSON logger on
   * standard output, never TypeORM's console logger.
   */
  logger?: PinoLogger;
}

const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSqlIdentifier(name: string): string {
  if (!SQL_IDENTIFIER.test(name)) throw new Error(`"${name}" is not a safe SQL identifier`);
  return name;
}

/**
 * A TypeORM data source confined to one schema: `synchronize` is off (migrations own the
 * schema) and `search_path` is the service's schema, so an unqualified query can never touch
 * another service's tables. Every session starts with statement, lock-wait and
 * idle-in-transaction timeouts, so a stalled client cannot hold a lock for ever.
 */
export function createSchemaDataSource(options: SchemaDataSourceOptions): DataSource {
  const schema = assertSqlIdentifier(options.schema);
  const timeouts = { ...DATABASE_SESSION_TIMEOUT_DEFAULTS, ...options.sessionTimeouts };
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema,
    entities: options.entities ?? [],
    migrations: options.migrations ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn'],
    logger: new TypeOrmLoggerAdapter(
      options.logger ?? createLogger({ service: options.applicationName ?? schema, level: 'warn' }),
    ),
    applicationName: options.applicationName ?? schema,
    extra: {
      max: options.poolSize ?? 10,
      // Startup options rather than pg's own fields: pg leaves a 0 out, and 0 here means none.
      options: [
        `-c search_path=${schema}`,
        `-c statement_timeout=${wholeMs(timeouts.statementTimeoutMs)}`,
        `-c lock_timeout=${wholeMs(timeouts.lockTimeoutMs)}`,
        `-c idle_in_transaction_session_timeout=${wholeMs(timeouts.idleInTransactionTimeoutMs)}`,
      ].join(' '),
    },
  });
}

function wholeMs(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`"${value}" is not a timeout in ms`);
  return value;
}

/** Creates the schema if needed, then applies pending migrations in order. */
export async function prepareSchema(dataSource: DataSource): Promise<string[]> {
  const schema = assertSqlIdentifier(String(dataSource.driver.schema ?? 'public'));
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((migration) => migration.name);
}
