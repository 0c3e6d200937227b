import { randomInt } from 'node:crypto';
import { request } from 'node:http';

import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { mintDevelopmentToken } from '@implant-trace/platform-auth';
import { ProbeServiceConfig, testServiceConfig, uniqueName } from '@implant-trace/platform-testing';

import { RegulatorSummaryProbeModule } from '../test-support/regulator-summary.probe';
import { createServiceApp } from './service-app.factory';

const secret = 'integration-test-secret-of-at-least-32-chars';
const schema = uniqueName('it_http_address');

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A loopback address of this run's own (Linux routes all of 127/8 to lo), so counts left in
 * Redis by an earlier run or another test never meet this one's.
 */
function ownLoopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

describe('rate limiting per client address, before the token is verified', () => {
  let app: INestApplication;
  let port: number;

  function get(
    path: string,
    from: string,
    bearer?: string,
    extraHeaders: Record<string, string> = {},
    toPort = port,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const call = request(
        {
          host: '127.0.0.1',
          port: toPort,
          path,
          localAddress: from,
          headers: {
            ...extraHeaders,
            ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
          },
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          );
        },
      );
      call.on('error', reject);
      call.end();
    });
  }

  beforeAll(async () => {
    app = await createServiceApp({
      config: testServiceConfig(ProbeServiceConfig, { schema, jwtSecret: secret }),
      imports: [RegulatorSummaryProbeModule],
      addressRateLimit: { limit: 3, windowSeconds: 3600 },
    });
    await app.listen(0, '127.0.0.1');
    port = Number(new URL(await app.getUrl()).port);
  });

  afterAll(async () => {
    await app.get(DataSource).query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await app.close();
  });

  it('answers a flood without valid tokens with 429 problem+json, then refuses even a valid token from that address', async () => {
    const flooder = ownLoopbackAddress();
    const answers: Answer[] = [];
    for (const bearer of [undefined, 'not-a-token', undefined, undefined, 'forged.token.value']) {
      answers.push(await get('/v1/recall-summary', flooder, bearer));
    }
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 429, 429]);
    const limited = answers[3];
    expect(limited?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(limited?.body ?? '{}')).toMatchObject({
      type: 'urn:implant-trace:problem:rate-limited',
      status: 429,
    });

    const valid = await mintDevelopmentToken({
      secret,
      role: 'regulator',
      sub: uniqueName('address'),
      issuer: 'implant-trace-dev',
      audience: 'implant-trace',
    });
    expect((await get('/v1/recall-summary', flooder, valid)).status).toBe(429);
    expect((await get('/v1/recall-summary', ownLoopbackAddress(), valid)).status).toBe(200);
  });

  it('counts the forwarded client address behind a trusted proxy, not the proxy', async () => {
    const behindProxy = await createServiceApp({
      config: testServiceConfig(ProbeServiceConfig, {
        schema,
        jwtSecret: secret,
        overrides: { HTTP_TRUSTED_PROXY_HOPS: '1' },
      }),
      imports: [RegulatorSummaryProbeModule],
      addressRateLimit: { limit: 2, windowSeconds: 3600 },
    });
    try {
      await behindProxy.listen(0, '127.0.0.1');
      const proxyPort = Number(new URL(await behindProxy.getUrl()).port);
      const proxy = ownLoopbackAddress();
      const flooder = { 'x-forwarded-for': ownLoopbackAddress() };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (await get('/v1/recall-summary', proxy, undefined, flooder, proxyPort)).status,
        );
      }
      expect(statuses).toEqual([401, 401, 429]);
      const neighbour = { 'x-forwarded-for': ownLoopbackAddress() };
      expect((await get('/v1/recall-summary', proxy, undefined, neighbour, proxyPort)).status).toBe(
        401,
      );
    } finally {
      await behindProxy.close();
    }
  });
});
