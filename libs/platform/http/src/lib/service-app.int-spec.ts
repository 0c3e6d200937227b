import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { Body, Controller, Get, Inject, Module, Param, Post, Res } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Length } from 'class-validator';
import { DataSource } from 'typeorm';

import { RequiredNested } from '@implant-trace/contracts';
import type { Role } from '@implant-trace/platform-auth';
import {
  Audited,
  AuditTrailRepository,
  CurrentPrincipal,
  HospitalScoped,
  mintDevelopmentToken,
  Public,
  Roles,
  runAuthorisationMatrix,
} from '@implant-trace/platform-auth';
import type { Principal } from '@implant-trace/platform-auth';
import { ServiceConfigBase } from '@implant-trace/platform-config';
import { testServiceConfig, uniqueName } from '@implant-trace/platform-testing';

import { Idempotent } from './idempotent.decorator';
import { createServiceApp } from './service-app.factory';

const secret = 'integration-test-secret-of-at-least-32-chars';
const schema = uniqueName('it_http');
const OWN = 'RXH01';
const OTHER = 'RAJ01';
const NHS_NUMBER = '9434765919';

class PatientDto {
  @IsString()
  @Length(10, 10)
  nhsNumber!: string;
}

class RecordImplantDto {
  @IsString()
  ods!: string;

  @IsString()
  barcode!: string;

  @RequiredNested(() => PatientDto)
  patient!: PatientDto;

  @IsOptional()
  @IsInt()
  quantity?: number;
}

@Controller('v1')
class ProbeController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Public()
  @Get('ping')
  ping(): { ok: boolean } {
    return { ok: true };
  }

  @Roles('regulator', 'admin')
  @Get('recall-summary')
  summary(): { matched: { patients: number } } {
    return { matched: { patients: 3 } };
  }

  @Roles('regulator')
  @Get('leaky-summary')
  leaky(): unknown {
    return { byHospital: [{ ods: OWN, patients: [{ nhsNumber: NHS_NUMBER }] }] };
  }

  @Roles('theatre', 'hospital-system', 'admin')
  @HospitalScoped({ param: 'ods' })
  @Audited({
    action: 'patients.list',
    resourceType: 'hospital',
    resourceIds: (request) => [request.params['ods'] ?? ''],
    patientCount: (result) => (result as { items: unknown[] }).items.length,
  })
  @Get('hospitals/:ods/patients')
  patients(@Param('ods') ods: string): { items: { nhsNumber: string; ods: string }[] } {
    return { items: [{ nhsNumber: NHS_NUMBER, ods }] };
  }

  @Roles('theatre')
  @HospitalScoped({ body: 'ods' })
  @Idempotent()
  @Post('implants')
  async record(
    @Body() body: RecordImplantDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ implantId: string }> {
    const implantId = randomUUID();
    // Slow enough that concurrent retries overlap with the first request.
    await this.dataSource.query(`SELECT pg_sleep(0.2)`);
    await this.dataSource.query(
      `INSERT INTO probe_implants (id, ods, barcode, recorded_by) VALUES ($1, $2, $3, $4)`,
      [implantId, body.ods, body.barcode, principal.sub],
    );
    return { implantId };
  }

  @Roles('theatre')
  @HospitalScoped({ body: 'ods' })
  @Idempotent()
  @Post('implants/deferred')
  deferred(
    @Body() _body: RecordImplantDto,
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): { queued: true } {
    response.status(202);
    return { queued: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

class ProbeServiceConfig extends ServiceConfigBase {
  readonly serviceName = 'probe-service';
  override port = 3001;
  override databaseSchema = schema;
}

function serviceConfig(): ProbeServiceConfig {
  return testServiceConfig(ProbeServiceConfig, {
    schema,
    jwtSecret: secret,
    overrides: { HTTP_BODY_LIMIT_BYTES: '2048' },
  });
}

function token(
  role: Role,
  ods?: string,
  extra: { sub?: string; expiresInSeconds?: number; secret?: string } = {},
) {
  return mintDevelopmentToken({
    secret: extra.secret ?? secret,
    role,
    ...(ods === undefined ? {} : { ods }),
    ...(extra.sub === undefined ? {} : { sub: extra.sub }),
    ...(extra.expiresInSeconds === undefined ? {} : { expiresInSeconds: extra.expiresInSeconds }),
    issuer: 'implant-trace-dev',
    audience: 'implant-trace',
  });
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

describe('a service built with createServiceApp, against the real PostgreSQL and Redis', () => {
  let app: INestApplication;
  let baseUrl: string;
  let dataSource: DataSource;
  let theatre: string;

  async function implantCount(): Promise<number> {
    const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM probe_implants`)) as {
      n: number;
    }[];
    return row?.n ?? -1;
  }

  async function post(
    path: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${theatre}`,
        ...headers,
      },
      body,
    });
  }

  const goodBody = () =>
    JSON.stringify({ ods: OWN, barcode: '(01)05012345678900', patient: { nhsNumber: NHS_NUMBER } });

  beforeAll(async () => {
    app = await createServiceApp({ config: serviceConfig(), imports: [ProbeModule] });
    dataSource = app.get(DataSource);
    await dataSource.query(
      `CREATE TABLE probe_implants (id uuid PRIMARY KEY, ods text NOT NULL, barcode text NOT NULL, recorded_by text NOT NULL)`,
    );
    baseUrl = await listen(app);
    theatre = await token('theatre', OWN);
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await app.close();
  });

  describe('bad input: each answers its documented status as problem+json and stores nothing', () => {
    it.each([
      ['malformed JSON', '{"ods": "RXH01", ', 400],
      [
        'wrong types',
        JSON.stringify({ ods: OWN, barcode: 42, patient: { nhsNumber: 9434765919 } }),
        400,
      ],
      ['unknown fields', JSON.stringify({ ...JSON.parse(goodBody()), surgeonPin: '1234' }), 400],
      [
        'a required nested object left out',
        JSON.stringify({ ods: OWN, barcode: '(01)05012345678900' }),
        400,
      ],
      [
        'a required nested object given as an array',
        JSON.stringify({ ods: OWN, barcode: '(01)05012345678900', patient: [] }),
        400,
      ],
      [
        'an oversized body',
        JSON.stringify({ ods: OWN, barcode: 'x'.repeat(4096), patient: { nhsNumber: NHS_NUMBER } }),
        413,
      ],
    ])('%s', async (_case, body, status) => {
      const response = await post('/v1/implants', body, { 'idempotency-key': randomUUID() });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({
        status,
        title: expect.any(String),
        detail: expect.any(String),
        type: expect.any(String),
      });
      expect(JSON.stringify(problem)).not.toMatch(/at .*\.(ts|js):\d+|node_modules/);
      expect(await implantCount()).toBe(0);
    });

    it('lists every failing field, nested paths included', async () => {
      const response = await post(
        '/v1/implants',
        JSON.stringify({
          ods: OWN,
          barcode: 42,
          patient: { nhsNumber: 1 },
          quantity: 'two',
          extra: true,
        }),
        { 'idempotency-key': randomUUID() },
      );
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((error) => error.field).sort()).toEqual(
        ['barcode', 'extra', 'patient.nhsNumber', 'patient.nhsNumber', 'quantity'].sort(),
      );
      expect(await implantCount()).toBe(0);
    });

    it.each([
      ['no token', async () => undefined],
      ['an expired token', async () => token('theatre', OWN, { expiresInSeconds: -120 })],
      [
        'a token signed with another secret',
        async () => token('theatre', OWN, { secret: `${secret}-forged` }),
      ],
      [
        'an alg none token',
        async () => {
          const encode = (value: object) =>
            Buffer.from(JSON.stringify(value)).toString('base64url');
          const now = Math.floor(Date.now() / 1000);
          return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'x', role: 'theatre', ods: OWN, iss: 'implant-trace-dev', aud: 'implant-trace', exp: now + 60 })}.`;
        },
      ],
    ])('%s -> 401', async (_case, makeToken) => {
      const bearer = await makeToken();
      const response = await fetch(`${baseUrl}/v1/implants`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
          ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
        },
        body: goodBody(),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await implantCount()).toBe(0);
    });

    it('answers an unknown route with a problem+json 404', async () => {
      const response = await fetch(`${baseUrl}/v1/nowhere`, {
        headers: { authorization: `Bearer ${theatre}` },
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ status: 404, title: 'Not Found' });
    });
  });

  describe('idempotency keys', () => {
    it('runs concurrent requests with one key once and gives every caller the first answer', async () => {
      const key = randomUUID();
      const before = await implantCount();
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          post('/v1/implants', goodBody(), { 'idempotency-key': key }),
        ),
      );
      const bodies = await Promise.all(
        responses.map((response) => response.json() as Promise<{ implantId: string }>),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
      expect(new Set(bodies.map((body) => body.implantId)).size).toBe(1);
      expect(await implantCount()).toBe(before + 1);

      const retry = await post('/v1/implants', goodBody(), { 'idempotency-key': key });
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await retry.json()).toEqual(bodies[0]);

      const reused = await post(
        '/v1/implants',
        goodBody().replace('05012345678900', '05012345678917'),
        {
          'idempotency-key': key,
        },
      );
      expect(reused.status).toBe(409);
      expect(await implantCount()).toBe(before + 1);
    });

    it('replays the status the first response went out with, not the route default', async () => {
      const key = randomUUID();
      const first = await post('/v1/implants/deferred', goodBody(), { 'idempotency-key': key });
      expect(first.status).toBe(202);
      const retry = await post('/v1/implants/deferred', goodBody(), { 'idempotency-key': key });
      expect(retry.status).toBe(202);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await retry.json()).toEqual({ queued: true });
    });

    it('requires a key on a retryable write', async () => {
      const response = await post('/v1/implants', goodBody());
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        type: 'urn:implant-trace:problem:idempotency-key-missing',
      });
    });
  });

  describe('authorisation', () => {
    it('matches the expected access of every route, for every role and own/other hospital', async () => {
      const result = await runAuthorisationMatrix({
        app,
        baseUrl,
        token: (role, ods) => token(role, ods),
        ownOds: OWN,
        otherOds: OTHER,
        expectations: {
          'GET /health': { public: true },
          'GET /metrics': { public: true },
          'GET /v1/ping': { public: true },
          'GET /v1/recall-summary': { roles: ['regulator', 'admin'] },
          'GET /v1/leaky-summary': { roles: ['regulator'] },
          'GET /v1/hospitals/:ods/patients': {
            roles: ['theatre', 'hospital-system', 'admin'],
            hospital: { param: 'ods' },
          },
          'POST /v1/implants': { roles: ['theatre'], hospital: { body: 'ods' } },
          'POST /v1/implants/deferred': { roles: ['theatre'], hospital: { body: 'ods' } },
        },
      });
      expect(result).toMatchObject({ unexpectedRoutes: [], missingRoutes: [], mismatches: [] });
      expect(result.calls).toBe(8 * 9);
    });

    it('fails a route nobody wrote an expectation for', async () => {
      const result = await runAuthorisationMatrix({
        app,
        baseUrl,
        token: (role, ods) => token(role, ods),
        ownOds: OWN,
        otherOds: OTHER,
        expectations: { 'GET /health': { public: true } },
      });
      expect(result.unexpectedRoutes).toContain('POST /v1/implants');
    });

    it('withholds a response holding patient identifiers from a regulator', async () => {
      const response = await fetch(`${baseUrl}/v1/leaky-summary`, {
        headers: { authorization: `Bearer ${await token('regulator')}` },
      });
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain(NHS_NUMBER);
    });

    it('audits a read of patient data with who, what and the request id', async () => {
      const response = await fetch(`${baseUrl}/v1/hospitals/${OWN}/patients`, {
        headers: { authorization: `Bearer ${theatre}`, 'x-request-id': 'req-audit-1' },
      });
      expect(response.status).toBe(200);
      const trail = app.get(AuditTrailRepository);
      const [row] = (await dataSource.query(
        `SELECT * FROM audit_log WHERE request_id = 'req-audit-1'`,
      )) as Record<string, unknown>[];
      expect(row).toMatchObject({
        actor_sub: `dev-theatre-${OWN}`,
        actor_role: 'theatre',
        actor_ods: OWN,
        action: 'patients.list',
        resource_ids: [OWN],
        patient_count: 1,
      });
      await expect(trail.verify()).resolves.toMatchObject({ intact: true });
    });
  });

  describe('operations endpoints', () => {
    it('reports database, cache readiness on /health without a token', async () => {
      const response = await fetch(`${baseUrl}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ok',
        checks: { database: { status: 'up' }, cache: { status: 'up' } },
      });
    });

    it('serves Prometheus metrics with request latency histograms', async () => {
      const text = await (await fetch(`${baseUrl}/metrics`)).text();
      expect(text).toContain('# TYPE http_request_duration_seconds histogram');
      expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/v1\/implants"/);
      expect(text).toContain('# TYPE kafka_consumer_lag_messages gauge');
    });

    it('serves the OpenAPI document', async () => {
      const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/v1/implants', '/health']),
      );
      expect((await fetch(`${baseUrl}/docs`)).status).toBe(200);
    });

    it('echoes a request id', async () => {
      const response = await fetch(`${baseUrl}/v1/ping`, {
        headers: { 'x-request-id': 'abc-123' },
      });
      expect(response.headers.get('x-request-id')).toBe('abc-123');
    });
  });
});

describe('rate limiting per token', () => {
  it('answers 429 with Retry-After once a token exceeds its allowance', async () => {
    const app = await createServiceApp({
      config: serviceConfig(),
      imports: [ProbeModule],
      rateLimit: { limit: 3, windowSeconds: 3600 },
    });
    try {
      const baseUrl = await listen(app);
      const bearer = await token('regulator', undefined, { sub: uniqueName('rate') });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${baseUrl}/v1/recall-summary`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get('retry-after');
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      const other = await token('regulator', undefined, { sub: uniqueName('rate') });
      expect(
        (
          await fetch(`${baseUrl}/v1/recall-summary`, {
            headers: { authorization: `Bearer ${other}` },
          })
        ).status,
      ).toBe(200);
    } finally {
      await app.close();
    }
  });
});
