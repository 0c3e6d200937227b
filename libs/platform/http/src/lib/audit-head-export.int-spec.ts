import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';

import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { AuditHeadExport } from '@implant-trace/platform-auth';
import {
  anchorOfAuditHeadExport,
  AUDIT_HEAD_LOG_MESSAGE,
  AuditTrailRepository,
  mintDevelopmentToken,
} from '@implant-trace/platform-auth';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import {
  ProbeServiceConfig,
  SERVICE_LOGIN_ROLE,
  serviceRoleDatabaseUrl,
  testInfrastructure,
  testServiceConfig,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';

import {
  IdempotentWritesProbeModule,
  PROBE_WRITES_TABLE,
} from '../test-support/idempotent-writes.probe';
import { createServiceApp } from './service-app.factory';

const secret = 'integration-test-secret-of-at-least-32-chars';
const headKey = 'audit-head-key-for-this-test-of-32-chars';
const schema = uniqueName('it_audit_head');

describe('a service running as its least-privilege role, exporting its audit chain head', () => {
  let app: INestApplication;
  let baseUrl: string;
  let owner: DataSource;
  const logLines: string[] = [];

  function exportedHeads(): AuditHeadExport[] {
    return logLines.flatMap((line) => {
      const { msg } = JSON.parse(line) as { msg?: string };
      return msg?.startsWith(`${AUDIT_HEAD_LOG_MESSAGE} `) === true
        ? [JSON.parse(msg.slice(AUDIT_HEAD_LOG_MESSAGE.length + 1)) as AuditHeadExport]
        : [];
    });
  }

  async function recordPatientWrite(): Promise<number> {
    const answer = await fetch(`${baseUrl}/v1/probe/patient-writes`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await mintDevelopmentToken({
          secret,
          role: 'theatre',
          ods: 'RXH01',
          issuer: 'implant-trace-dev',
          audience: 'implant-trace',
        })}`,
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ note: 'audited', outcome: 'succeed' }),
    });
    return answer.status;
  }

  beforeAll(async () => {
    owner = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
    await owner.initialize();
    app = await createServiceApp({
      config: testServiceConfig(ProbeServiceConfig, {
        schema,
        jwtSecret: secret,
        overrides: {
          DATABASE_URL: serviceRoleDatabaseUrl(),
          DATABASE_MIGRATION_URL: testInfrastructure().databaseUrl,
          LOG_LEVEL: 'info',
          AUDIT_HEAD_EXPORT_INTERVAL_SECONDS: '1',
          AUDIT_HEAD_HMAC_KEY: headKey,
        },
      }),
      imports: [IdempotentWritesProbeModule.forRoot({ hangAfterEffect: false })],
      logDestination: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          callback();
        },
      }),
    });
    // The effect table of the probe, created as its owner as a later migration would.
    await owner.query(PROBE_WRITES_TABLE);
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
    await owner.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await owner.destroy();
  });

  it('serves audited idempotent writes connected as the login role, not the superuser', async () => {
    expect(await recordPatientWrite()).toBe(201);
    const [session] = (await app
      .get(DataSource)
      .query(
        `SELECT current_user AS name, rolsuper FROM pg_roles WHERE rolname = current_user`,
      )) as {
      name: string;
      rolsuper: boolean;
    }[];
    expect(session).toEqual({ name: SERVICE_LOGIN_ROLE, rolsuper: false });
  });

  it('exports a keyed head that lets a verifier detect a truncated tail', async () => {
    for (let i = 0; i < 3; i++) expect(await recordPatientWrite()).toBe(201);
    const trail = app.get(AuditTrailRepository);
    const head = await trail.head();
    const exported = await waitFor(
      () => exportedHeads().find((candidate) => candidate.seq === head?.seq),
      { description: `an exported head at seq ${head?.seq}` },
    );
    expect(exported).toMatchObject({ schema, mac: expect.any(String) });
    const anchor = anchorOfAuditHeadExport(exported, headKey);
    expect(anchor).toEqual(head);

    // Someone past every privilege and trigger (the superuser in replica mode) cuts the tail.
    await owner.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(`DELETE FROM audit_log WHERE seq = $1`, [head?.seq]);
    });
    // The shortened chain is consistent in itself; only the exported head shows the cut.
    await expect(trail.verify()).resolves.toMatchObject({ intact: true });
    await expect(trail.verify(anchor)).resolves.toMatchObject({
      intact: false,
      problems: [{ seq: head?.seq, problem: 'truncated' }],
    });
  });

  it('refuses an export forged to vouch for a shorter chain, or checked with another key', async () => {
    const [exported] = exportedHeads();
    if (exported === undefined) throw new Error('no head was exported');
    expect(
      anchorOfAuditHeadExport({ ...exported, seq: exported.seq - 1 }, headKey),
    ).toBeUndefined();
    expect(anchorOfAuditHeadExport(exported, `${headKey}-other`)).toBeUndefined();
    expect(anchorOfAuditHeadExport({ ...exported, mac: undefined }, headKey)).toBeUndefined();
  });
});
