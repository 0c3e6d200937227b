import { Writable } from 'node:stream';

import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ProbeServiceConfig, testServiceConfig, uniqueName } from '@implant-trace/platform-testing';

import { createServiceApp } from './service-app.factory';

const NHS_NUMBER = '9434765919';
const schema = uniqueName('it_http_sql_log');

describe("TypeORM's own logging in a service", () => {
  const lines: string[] = [];
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  let consoleSpies: jest.SpyInstance[];
  let app: INestApplication;

  beforeAll(async () => {
    consoleSpies = consoleMethods.map((method) => jest.spyOn(console, method));
    app = await createServiceApp({
      config: testServiceConfig(ProbeServiceConfig, {
        schema,
        jwtSecret: 'integration-test-secret-of-at-least-32-chars',
      }),
      logDestination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    });
  });

  afterAll(async () => {
    await app.get(DataSource).query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await app.close();
    for (const spy of consoleSpies) spy.mockRestore();
  });

  it('writes a failed query carrying an NHS number as a masked JSON line and nothing to the console', async () => {
    // PostgreSQL quotes the parameter in its message: value "9434765919" is out of range.
    await expect(
      app.get(DataSource).query(`SELECT $1::int AS n`, [NHS_NUMBER]),
    ).rejects.toMatchObject({ driverError: { code: '22003' } });

    const failures = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record['msg'] === 'query failed');
    expect(failures).toEqual([
      expect.objectContaining({
        level: 'error',
        service: 'probe-service',
        query: 'SELECT $1::int AS n',
        error: expect.objectContaining({
          code: '22003',
          message: expect.stringContaining('943 *** **19') as unknown,
        }) as unknown,
      }),
    ]);
    expect(lines.join('')).not.toContain(NHS_NUMBER);
    for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
  });
});
