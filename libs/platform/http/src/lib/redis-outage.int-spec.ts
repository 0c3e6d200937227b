import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { mintDevelopmentToken } from '@implant-trace/platform-auth';
import type { OwnRedisServer } from '@implant-trace/platform-testing';
import {
  ProbeServiceConfig,
  startOwnRedisServer,
  testServiceConfig,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';

import { RegulatorSummaryProbeModule } from '../test-support/regulator-summary.probe';
import { createServiceApp } from './service-app.factory';

const secret = 'integration-test-secret-of-at-least-32-chars';
const schema = uniqueName('it_http_redis');
/** Generous on purpose: a hung request fails the test, a slow machine does not. */
const CLIENT_ABORT_MS = 3_000;

interface Health {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
}

describe('a service whose Redis goes away', () => {
  let redis: OwnRedisServer;
  let app: INestApplication;
  let baseUrl: string;
  let bearer: string;

  async function authenticatedCall(): Promise<number> {
    const response = await fetch(`${baseUrl}/v1/recall-summary`, {
      headers: { authorization: `Bearer ${bearer}` },
      signal: AbortSignal.timeout(CLIENT_ABORT_MS),
    });
    await response.arrayBuffer();
    return response.status;
  }

  async function health(): Promise<{ status: number; body: Health }> {
    const response = await fetch(`${baseUrl}/health`, {
      signal: AbortSignal.timeout(CLIENT_ABORT_MS),
    });
    return { status: response.status, body: (await response.json()) as Health };
  }

  beforeAll(async () => {
    redis = await startOwnRedisServer();
    app = await createServiceApp({
      config: testServiceConfig(ProbeServiceConfig, {
        schema,
        jwtSecret: secret,
        overrides: { REDIS_URL: redis.url },
      }),
      imports: [RegulatorSummaryProbeModule],
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    bearer = await mintDevelopmentToken({
      secret,
      role: 'regulator',
      sub: uniqueName('redis-outage'),
      issuer: 'implant-trace-dev',
      audience: 'implant-trace',
    });
  });

  afterAll(async () => {
    await redis.stop();
    await app.get(DataSource).query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await app.close();
  });

  it('answers every authenticated request and reports the cache down while Redis hangs, then while it is stopped', async () => {
    expect(await authenticatedCall()).toBe(200);
    expect((await health()).body.checks['cache']).toEqual({ status: 'up' });

    // A hung server: the connection stays open and nothing answers.
    redis.hang();
    const whileHung = await health();
    expect(whileHung.body.checks['cache']?.status).toBe('down');
    const hungCalls = await Promise.all(Array.from({ length: 5 }, () => authenticatedCall()));
    expect(hungCalls).toEqual([200, 200, 200, 200, 200]);
    redis.resume();

    // A stopped server: the client is reconnecting.
    await redis.stop();
    const whileStopped = await waitFor(
      async () => {
        const report = await health();
        return report.body.checks['cache']?.status === 'down' && report;
      },
      { description: 'the cache to be reported down' },
    );
    expect(whileStopped).toMatchObject({
      status: 200,
      body: {
        status: 'degraded',
        checks: { database: { status: 'up' }, cache: { status: 'down' } },
      },
    });
    const stoppedCalls = await Promise.all(Array.from({ length: 5 }, () => authenticatedCall()));
    const sequentialCalls = [await authenticatedCall(), await authenticatedCall()];
    expect([...stoppedCalls, ...sequentialCalls]).toEqual(Array(7).fill(200));
  });

  it('starts while its Redis is down, reports the cache down and answers authenticated requests', async () => {
    const gone = await startOwnRedisServer();
    await gone.stop();
    const down = await createServiceApp({
      config: testServiceConfig(ProbeServiceConfig, {
        schema,
        jwtSecret: secret,
        overrides: { REDIS_URL: gone.url },
      }),
      imports: [RegulatorSummaryProbeModule],
    });
    try {
      await down.listen(0, '127.0.0.1');
      const downUrl = (await down.getUrl()).replace('[::1]', '127.0.0.1');
      const report = await fetch(`${downUrl}/health`, {
        signal: AbortSignal.timeout(CLIENT_ABORT_MS),
      });
      expect(report.status).toBe(200);
      expect((await report.json()) as Health).toMatchObject({
        status: 'degraded',
        checks: { cache: { status: 'down' } },
      });
      const answer = await fetch(`${downUrl}/v1/recall-summary`, {
        headers: { authorization: `Bearer ${bearer}` },
        signal: AbortSignal.timeout(CLIENT_ABORT_MS),
      });
      expect(answer.status).toBe(200);
    } finally {
      await down.close();
    }
  });
});
