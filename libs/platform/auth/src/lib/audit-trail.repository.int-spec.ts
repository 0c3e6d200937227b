import { createSchemaDataSource, prepareSchema } from '@implant-trace/platform-database';
import {
  SERVICE_LOGIN_ROLE,
  serviceRoleDatabaseUrl,
  testInfrastructure,
  uniqueName,
} from '@implant-trace/platform-testing';
import type { DataSource } from 'typeorm';

import type { AuditEntry } from './audit-chain.util';
import { APPLICATION_DB_ROLE, CreateAuditLog1767225600000 } from './audit-log.migration';
import { AuditTrailRepository } from './audit-trail.repository';
import { ServiceRolePrivileges1767225600030 } from './service-role-privileges.migration';

const entry: AuditEntry = {
  actorSub: 'nurse-1',
  actorRole: 'theatre',
  actorOds: 'RXH01',
  action: 'implant.recorded',
  resourceType: 'implant',
  resourceIds: ['0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f'],
  patientCount: 1,
  requestId: 'req-1',
};

describe('the audit trail against the real PostgreSQL', () => {
  let dataSource: DataSource;
  let trail: AuditTrailRepository;

  /** Tampering as someone who got past privileges and triggers (a superuser in replica mode). */
  async function tamper(sql: string): Promise<void> {
    await dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(sql);
    });
  }

  beforeEach(async () => {
    dataSource = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema: uniqueName('it_audit'),
      migrations: [CreateAuditLog1767225600000, ServiceRolePrivileges1767225600030],
    });
    await dataSource.initialize();
    await prepareSchema(dataSource);
    trail = new AuditTrailRepository(dataSource);
  });

  afterEach(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${String(dataSource.driver.schema)}" CASCADE`);
    await dataSource.destroy();
  });

  it('chains concurrent appends without forking and verifies intact', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => trail.append({ ...entry, requestId: `req-${i}` })),
    );
    const report = await trail.verify();
    expect(report).toMatchObject({ intact: true, rows: 20, head: { seq: 20 } });
  });

  it('chains appends from two instances on one schema, batched or not, into one chain', async () => {
    const second = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema: String(dataSource.driver.schema),
      migrations: [],
    });
    await second.initialize();
    try {
      const other = new AuditTrailRepository(second);
      const appends = Array.from({ length: 60 }, (_, i) =>
        (i % 2 === 0 ? trail : other).append({ ...entry, requestId: `req-${i}` }),
      );
      const records = await Promise.all(appends);
      expect(new Set(records.map((record) => record.seq)).size).toBe(60);
      await expect(trail.verify()).resolves.toMatchObject({
        intact: true,
        rows: 60,
        head: { seq: 60 },
      });
    } finally {
      await second.destroy();
    }
  });

  it('detects an altered row', async () => {
    for (let i = 0; i < 3; i++) await trail.append(entry);
    await tamper(`UPDATE audit_log SET patient_count = 0 WHERE seq = 2`);
    await expect(trail.verify()).resolves.toMatchObject({
      intact: false,
      problems: [{ seq: 2, problem: 'altered' }],
    });
  });

  it('detects a removed row', async () => {
    for (let i = 0; i < 3; i++) await trail.append(entry);
    await tamper(`DELETE FROM audit_log WHERE seq = 2`);
    await expect(trail.verify()).resolves.toMatchObject({
      intact: false,
      problems: expect.arrayContaining([{ seq: 2, problem: 'missing' }]),
    });
  });

  it('detects a removed tail against an anchor taken earlier', async () => {
    for (let i = 0; i < 3; i++) await trail.append(entry);
    const report = await trail.verify();
    if (!report.intact || report.head === null) throw new Error('chain should be intact');
    await tamper(`DELETE FROM audit_log WHERE seq = 3`);
    await expect(trail.verify(report.head)).resolves.toMatchObject({
      intact: false,
      problems: [{ seq: 3, problem: 'truncated' }],
    });
  });

  it('refuses UPDATE, DELETE and TRUNCATE even to the table owner', async () => {
    await trail.append(entry);
    for (const sql of [
      `UPDATE audit_log SET actor_sub = 'someone-else'`,
      `DELETE FROM audit_log`,
      `TRUNCATE audit_log`,
    ]) {
      await expect(dataSource.query(sql)).rejects.toThrow(/append-only/);
    }
    await expect(trail.verify()).resolves.toMatchObject({ intact: true, rows: 1 });
  });

  it('lets the application role read and append but not change history', async () => {
    await trail.append(entry);
    await dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${APPLICATION_DB_ROLE}`);
      await expect(manager.query(`SELECT count(*) FROM audit_log`)).resolves.toHaveLength(1);
      await manager.query(`SAVEPOINT before_update`);
      await expect(manager.query(`UPDATE audit_log SET actor_sub = 'x'`)).rejects.toThrow(
        /permission denied for table audit_log/,
      );
      await manager.query(`ROLLBACK TO SAVEPOINT before_update`);
      await expect(manager.query(`DELETE FROM audit_log`)).rejects.toThrow(
        /permission denied for table audit_log/,
      );
    });
  });

  it('rolls an entry back with the transaction it was written in', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await trail.append(entry, manager);
        throw new Error('the patient-data write failed');
      }),
    ).rejects.toThrow('the patient-data write failed');
    await expect(trail.verify()).resolves.toMatchObject({ intact: true, rows: 0 });
  });

  describe("connected as the services' login role", () => {
    let service: DataSource;

    beforeEach(async () => {
      service = createSchemaDataSource({
        url: serviceRoleDatabaseUrl(),
        schema: String(dataSource.driver.schema),
      });
      await service.initialize();
    });

    afterEach(async () => {
      await service.destroy();
    });

    it('is a login role that is no superuser and owns nothing', async () => {
      const [role] = (await service.query(
        `SELECT current_user AS name, rolsuper, rolbypassrls, rolcreaterole
         FROM pg_roles WHERE rolname = current_user`,
      )) as { name: string; rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean }[];
      expect(role).toEqual({
        name: SERVICE_LOGIN_ROLE,
        rolsuper: false,
        rolbypassrls: false,
        rolcreaterole: false,
      });
      await expect(
        service.query(
          `SELECT count(*)::int AS n FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
           WHERE r.rolname = current_user`,
        ),
      ).resolves.toEqual([{ n: 0 }]);
    });

    it('appends to and verifies the trail', async () => {
      const asService = new AuditTrailRepository(service);
      await asService.append(entry);
      await asService.append(entry);
      await expect(asService.verify()).resolves.toMatchObject({ intact: true, rows: 2 });
    });

    it.each([
      [
        'UPDATE',
        `UPDATE audit_log SET actor_sub = 'someone-else'`,
        /permission denied for table audit_log/,
      ],
      ['DELETE', `DELETE FROM audit_log`, /permission denied for table audit_log/],
      ['TRUNCATE', `TRUNCATE audit_log`, /permission denied for table audit_log/],
      [
        'ALTER TABLE ... DISABLE TRIGGER',
        `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`,
        /must be owner of table audit_log/,
      ],
      [
        'ALTER TABLE ... DISABLE TRIGGER ALL',
        `ALTER TABLE audit_log DISABLE TRIGGER ALL`,
        /must be owner of table audit_log/,
      ],
      [
        'SET session_replication_role',
        `SET session_replication_role = replica`,
        /permission denied to set parameter "session_replication_role"/,
      ],
      ['DROP TABLE', `DROP TABLE audit_log`, /must be owner of table audit_log/],
      [
        'rewriting the migrations table',
        `DELETE FROM migrations`,
        /permission denied for table migrations/,
      ],
    ])('is refused %s', async (_operation, sql, refusal) => {
      await trail.append(entry);
      await expect(service.query(sql)).rejects.toThrow(refusal);
      await expect(trail.verify()).resolves.toMatchObject({ intact: true, rows: 1 });
    });

    it('reads and writes the tables later migrations create', async () => {
      await dataSource.query(`CREATE TABLE later_table (id serial PRIMARY KEY, note text)`);
      await service.query(`INSERT INTO later_table (note) VALUES ('a')`);
      await service.query(`UPDATE later_table SET note = 'b'`);
      await expect(service.query(`SELECT note FROM later_table`)).resolves.toEqual([{ note: 'b' }]);
      await expect(service.query(`TRUNCATE later_table`)).rejects.toThrow(/permission denied/);
    });
  });
});
