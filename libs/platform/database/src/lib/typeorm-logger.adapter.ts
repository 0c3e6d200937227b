import type { Logger as PinoLogger } from 'pino';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** The longest SQL text a log line carries; a query is for finding the code, not for replay. */
const MAX_QUERY_CHARS = 2_000;

interface DriverErrorFields {
  code?: unknown;
  table?: unknown;
  constraint?: unknown;
}

/**
 * What a log line may say about a failed query: the SQLSTATE, the message and where. Never
 * the parameters or PostgreSQL's `detail` (it quotes the offending values, such as an NHS
 * number in a duplicate key); the JSON logger masks NHS numbers left in the message.
 */
function describeQueryError(error: string | Error): Record<string, unknown> {
  if (typeof error === 'string') return { message: error };
  const driver = ((error as { driverError?: unknown }).driverError ?? error) as DriverErrorFields;
  return {
    type: error.name,
    message: error.message,
    ...(typeof driver.code === 'string' ? { code: driver.code } : {}),
    ...(typeof driver.table === 'string' ? { table: driver.table } : {}),
    ...(typeof driver.constraint === 'string' ? { constraint: driver.constraint } : {}),
  };
}

/**
 * TypeORM's own logging (failed and slow queries, warnings, migrations) as JSON lines of the
 * service's logger instead of TypeORM's console output, which prints every query parameter.
 */
export class TypeOrmLoggerAdapter implements TypeOrmLogger {
  constructor(private readonly logger: PinoLogger) {}

  /** Successful queries are not logged: their parameters are patient data. */
  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.error(
      {
        context: 'database',
        query: query.slice(0, MAX_QUERY_CHARS),
        error: describeQueryError(error),
      },
      'query failed',
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(
      { context: 'database', query: query.slice(0, MAX_QUERY_CHARS), durationMs: time },
      'slow query',
    );
  }

  logSchemaBuild(message: string): void {
    this.logger.info({ context: 'database' }, message);
  }

  logMigration(message: string): void {
    this.logger.info({ context: 'migrations' }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (level === 'warn') this.logger.warn({ context: 'database' }, text);
    else this.logger.info({ context: 'database' }, text);
  }
}
