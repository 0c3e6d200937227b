import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Role } from '@implant-trace/platform-auth';
import { mintDevelopmentToken } from '@implant-trace/platform-auth';
import {
  ProbeServiceConfig,
  testServiceConfig,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';

import {
  IdempotentWritesProbeModule,
  PROBE_NHS_NUMBER,
  PROBE_WRITES_TABLE,
} from '../test-support/idempotent-writes.probe';
import { createServiceApp } from './service-app.factory';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');
const crashingService = join(__dirname, '..', 'test-support', 'crashing-service.fixture.ts');
const secret = 'integration-test-secret-of-at-least-32-chars';
const schema = uniqueName('it_idempotency');
const LEASE_SECONDS = 2;
const RETENTION_SECONDS = 3600;

function token(role: Role): Promise<string> {
  return mintDevelopmentToken({
    secret,
    role,
    ...(role === 'theatre' ? { ods: 'RXH01' } : {}),
    issuer: 'implant-trace-dev',
    audience: 'implant-trace',
  });
}

interface KeyRow {
  state: string;
  lease_expires_at: Date | null;
  completed_at: Date | null;
}

describe('idempotency keys against the real PostgreSQL', () => {
  let app: INestApplication;
  let baseUrl: string;
  let dataSource: DataSource;

  async function post(
    url: string,
    path: string,
    key: string,
    body: object,
    role: Role = 'theatre',
  ): Promise<Response> {
    return fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await token(role)}`,
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
    });
  }

  async function writesWithNote(note: string): Promise<number> {
    const [row] = (await dataSource.query(
      `SELECT count(*)::int AS n FROM probe_writes WHERE note = $1`,
      [note],
    )) as { n: number }[];
    return row?.n ?? -1;
  }

  async function keyRows(key: string): Promise<KeyRow[]> {
    return (await dataSource.query(
      `SELECT state, lease_expires_at, completed_at FROM idempotency_keys WHERE key = $1`,
      [key],
    )) as KeyRow[];
  }

  beforeAll(async () => {
    app = await createServiceApp({
      config: testServiceConfig(ProbeServiceConfig, {
        schema,
        jwtSecret: secret,
        overrides: {
          IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS),
          IDEMPOTENCY_RETENTION_SECONDS: String(RETENTION_SECONDS),
          IDEMPOTENCY_PURGE_INTERVAL_SECONDS: '1',
        },
      }),
      imports: [
        IdempotentWritesProbeModule.forRoot({
          hangAfterEffect: false,
          slowSeconds: LEASE_SECONDS * 2,
        }),
      ],
    });
    dataSource = app.get(DataSource);
    await dataSource.query(PROBE_WRITES_TABLE);
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await app.close();
  });

  describe('a request that crashed in flight', () => {
    let crashed: ChildProcess | undefined;

    afterEach(() => {
      if (crashed?.exitCode === null && crashed.signalCode === null) crashed.kill('SIGKILL');
    });

    async function startCrashingService(): Promise<string> {
      const child = spawn(
        process.execPath,
        [
          '-r',
          '@swc-node/register',
          crashingService,
          JSON.stringify({ schema, jwtSecret: secret, leaseSeconds: LEASE_SECONDS }),
        ],
        { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      crashed = child;
      let output = '';
      child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
      return waitFor(() => /listening (\S+)/.exec(output)?.[1], {
        timeoutMs: 60_000,
        description: 'the crashing service to listen',
      });
    }

    it('is retried after its lease: the retry runs once and the crashed effect never commits', async () => {
      const key = randomUUID();
      const note = uniqueName('crash');
      const crashingUrl = await startCrashingService();
      const inFlight = post(crashingUrl, '/v1/probe/writes', key, { note, outcome: 'succeed' });
      inFlight.catch(() => undefined);
      await waitFor(async () => (await keyRows(key))[0]?.state === 'in-flight', {
        description: 'the first request to claim its key',
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        crashed?.once('exit', (_code, signal) => resolve(signal)),
      );
      crashed?.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await expect(inFlight).rejects.toThrow();
      // The crash left the key in flight, and its effect uncommitted.
      const [left] = await keyRows(key);
      expect(left?.state).toBe('in-flight');
      expect(await writesWithNote(note)).toBe(0);

      const retry = await post(baseUrl, '/v1/probe/writes', key, { note, outcome: 'succeed' });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(await retry.json()).toMatchObject({ note });
      expect(await writesWithNote(note)).toBe(1);
      const [completed] = await keyRows(key);
      expect(completed?.state).toBe('completed');
      // Taken over only once the crashed request's lease had expired.
      expect(completed?.completed_at?.getTime()).toBeGreaterThanOrEqual(
        left?.lease_expires_at?.getTime() ?? Infinity,
      );

      const again = await post(baseUrl, '/v1/probe/writes', key, { note, outcome: 'succeed' });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await writesWithNote(note)).toBe(1);
    });
  });

  it('commits the effect and its completed key together: an effect that fails leaves neither', async () => {
    const key = randomUUID();
    const note = uniqueName('fail');
    const failed = await post(baseUrl, '/v1/probe/writes', key, { note, outcome: 'fail' });
    expect(failed.status).toBe(500);
    expect(await writesWithNote(note)).toBe(0);
    expect(await keyRows(key)).toEqual([]);

    const corrected = await post(baseUrl, '/v1/probe/writes', key, { note, outcome: 'succeed' });
    expect(corrected.status).toBe(201);
    expect(await writesWithNote(note)).toBe(1);
    expect((await keyRows(key)).map((row) => row.state)).toEqual(['completed']);
  });

  it('rolls back the effect of a request whose key was taken over after its lease expired', async () => {
    const key = randomUUID();
    const note = uniqueName('fenced');
    const body = { note, outcome: 'slow' };
    const slow = post(baseUrl, '/v1/probe/writes', key, body);
    await waitFor(async () => (await keyRows(key))[0]?.state === 'in-flight', {
      description: 'the slow request to claim its key',
    });
    // Waits for the slow request's lease to expire, takes the key over and completes first.
    const takeover = await post(baseUrl, '/v1/probe/writes', key, body);
    const overtaken = await slow;
    expect(takeover.status).toBe(201);
    expect(overtaken.status).toBe(409);
    expect(await overtaken.json()).toMatchObject({
      type: 'urn:implant-trace:problem:idempotency-key-in-progress',
    });
    expect(await writesWithNote(note)).toBe(1);
    const replay = await post(baseUrl, '/v1/probe/writes', key, body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(await takeover.json());
  });

  it('purges a key past its retention, and a retry after that is a new request', async () => {
    const [oldKey, recentKey] = [randomUUID(), randomUUID()];
    const note = uniqueName('retention');
    for (const key of [oldKey, recentKey]) {
      expect(
        (await post(baseUrl, '/v1/probe/writes', key, { note, outcome: 'succeed' })).status,
      ).toBe(201);
    }
    await dataSource.query(
      `UPDATE idempotency_keys SET completed_at = now() - make_interval(secs => $2)
       WHERE key = $1`,
      [oldKey, RETENTION_SECONDS + 1],
    );
    await waitFor(async () => (await keyRows(oldKey)).length === 0, {
      description: 'the purge to remove the key past retention',
    });
    expect((await keyRows(recentKey)).map((row) => row.state)).toEqual(['completed']);

    const retried = await post(baseUrl, '/v1/probe/writes', oldKey, { note, outcome: 'succeed' });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await writesWithNote(note)).toBe(3);
  });

  it('checks a replay to a regulator like a first answer: withheld both times, one effect', async () => {
    const key = randomUUID();
    const note = uniqueName('regulator');
    const body = { note, outcome: 'succeed' };
    const first = await post(baseUrl, '/v1/probe/leaky-writes', key, body, 'regulator');
    const replay = await post(baseUrl, '/v1/probe/leaky-writes', key, body, 'regulator');
    expect([first.status, replay.status]).toEqual([500, 500]);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.text()).not.toContain(PROBE_NHS_NUMBER);
    expect(await writesWithNote(note)).toBe(1);
  });

  it('audits a replay of patient data like the first answer', async () => {
    const key = randomUUID();
    const body = { note: uniqueName('audited'), outcome: 'succeed' };
    const answers = [];
    for (const requestId of [`${key}-first`, `${key}-replay`]) {
      answers.push(
        await fetch(`${baseUrl}/v1/probe/patient-writes`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${await token('theatre')}`,
            'idempotency-key': key,
            'x-request-id': requestId,
          },
          body: JSON.stringify(body),
        }),
      );
    }
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    expect(answers[1]?.headers.get('idempotent-replayed')).toBe('true');
    const entries = (await dataSource.query(
      `SELECT request_id, action, resource_ids FROM audit_log WHERE request_id LIKE $1
       ORDER BY seq`,
      [`${key}-%`],
    )) as { request_id: string; action: string; resource_ids: string[] }[];
    expect(entries).toEqual([
      {
        request_id: `${key}-first`,
        action: 'probe.patient-write',
        resource_ids: [expect.any(String)],
      },
      {
        request_id: `${key}-replay`,
        action: 'probe.patient-write',
        resource_ids: entries[0]?.resource_ids,
      },
    ]);
  });
});
