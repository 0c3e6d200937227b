import { Writable } from 'node:stream';

import type { Logger as TypeOrmLogger } from 'typeorm';
import { QueryFailedError } from 'typeorm';

import { createLogger } from '@implant-trace/platform-observability';

import { TypeOrmLoggerAdapter } from './typeorm-logger.adapter';

/** The adapter as TypeORM sees it, so calls carry what TypeORM passes (parameters too). */
function capture(): { lines: Record<string, unknown>[]; adapter: TypeOrmLogger } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ service: 'implant-events', level: 'info', destination });
  return { lines, adapter: new TypeOrmLoggerAdapter(logger) };
}

describe('TypeOrmLoggerAdapter', () => {
  it("logs a failed query's code, constraint and SQL, never its parameters or PostgreSQL's detail", () => {
    const { lines, adapter } = capture();
    const driverError = Object.assign(
      new Error('duplicate key value violates unique constraint "implants_patient_key"'),
      {
        code: '23505',
        table: 'implants',
        constraint: 'implants_patient_key',
        detail: 'Key (nhs_number)=(9434765919) already exists.',
      },
    );
    const query = 'INSERT INTO implants (nhs_number, lot) VALUES ($1, $2)';
    const parameters = ['9434765919', 'LOT-SECRET-7'];
    adapter.logQueryError(new QueryFailedError(query, parameters, driverError), query, parameters);

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'query failed',
        query,
        error: {
          type: 'QueryFailedError',
          message: 'duplicate key value violates unique constraint "implants_patient_key"',
          code: '23505',
          table: 'implants',
          constraint: 'implants_patient_key',
        },
      }),
    ]);
    const text = JSON.stringify(lines);
    expect(text).not.toContain('9434765919');
    expect(text).not.toContain('LOT-SECRET-7');
  });

  it('does not log successful queries, whose parameters are patient data', () => {
    const { lines, adapter } = capture();
    adapter.logQuery('SELECT * FROM implants WHERE nhs_number = $1', ['9434765919']);
    expect(lines).toEqual([]);
  });
});
