import { testInfrastructure, uniqueName, waitFor } from '@implant-trace/platform-testing';
import type { DataSource } from 'typeorm';
import { Column, Entity, PrimaryColumn } from 'typeorm';

import { createSchemaDataSource, prepareSchema } from './data-source.factory';

@Entity({ name: 'probe' })
class ProbeEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  note!: string;
}

describe('createSchemaDataSource against the real PostgreSQL', () => {
  const schema = uniqueName('it_database');
  const dataSource = createSchemaDataSource({
    url: testInfrastructure().databaseUrl,
    schema,
    entities: [ProbeEntity],
  });

  beforeAll(async () => {
    await dataSource.initialize();
    await prepareSchema(dataSource);
    await dataSource.query(`CREATE TABLE probe (id uuid PRIMARY KEY, note text NOT NULL)`);
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  it('round-trips an entity inside its own schema only', async () => {
    const id = '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f';
    await dataSource.getRepository(ProbeEntity).save({ id, note: 'hello' });
    await expect(dataSource.getRepository(ProbeEntity).findOneByOrFail({ id })).resolves.toEqual({
      id,
      note: 'hello',
    });
    const [{ table_schema: tableSchema }] = (await dataSource.query(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'probe'`,
    )) as [{ table_schema: string }];
    expect(tableSchema).toBe(schema);
  });

  it('refuses a schema name that is not a safe identifier', () => {
    expect(() =>
      createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema: 'x"; drop' }),
    ).toThrow(/not a safe SQL identifier/);
  });

  it('starts every pooled session with the platform statement, lock and idle-in-transaction timeouts', async () => {
    const runners = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        return runner;
      }),
    );
    try {
      const sessions = await Promise.all(
        runners.map(
          async (runner) =>
            (
              (await runner.query(
                `SELECT pg_backend_pid() AS pid,
                      current_setting('statement_timeout') AS statement,
                      current_setting('lock_timeout') AS lock,
                      current_setting('idle_in_transaction_session_timeout') AS idle`,
              )) as [{ pid: number; statement: string; lock: string; idle: string }]
            )[0],
        ),
      );
      expect(new Set(sessions.map((session) => session.pid)).size).toBe(3);
      for (const session of sessions) {
        expect(session).toMatchObject({ statement: '30s', lock: '10s', idle: '30s' });
      }
    } finally {
      await Promise.all(runners.map((runner) => runner.release()));
    }
  });
});

describe('session timeouts against the real PostgreSQL', () => {
  const schema = uniqueName('it_database_timeouts');
  const holder = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
  let strict: DataSource;

  beforeAll(async () => {
    await holder.initialize();
    await prepareSchema(holder);
    await holder.query(`CREATE TABLE probe (id int PRIMARY KEY, note text NOT NULL)`);
    await holder.query(`INSERT INTO probe VALUES (1, 'locked'), (2, 'idle')`);
    strict = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema,
      sessionTimeouts: {
        statementTimeoutMs: 300,
        lockTimeoutMs: 200,
        idleInTransactionTimeoutMs: 300,
      },
    });
    await strict.initialize();
  });

  afterAll(async () => {
    await strict.destroy();
    await holder.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await holder.destroy();
  });

  it('cancels a statement that runs longer than statement_timeout', async () => {
    await expect(strict.query(`SELECT pg_sleep(10)`)).rejects.toMatchObject({
      driverError: { code: '57014' },
    });
  });

  it('gives up waiting for a lock after lock_timeout', async () => {
    const locker = holder.createQueryRunner();
    await locker.connect();
    await locker.startTransaction();
    try {
      await locker.query(`SELECT * FROM probe WHERE id = 1 FOR UPDATE`);
      await expect(
        strict.query(`UPDATE probe SET note = 'waited' WHERE id = 1`),
      ).rejects.toMatchObject({ driverError: { code: '55P03' } });
    } finally {
      await locker.rollbackTransaction();
      await locker.release();
    }
  });

  it('ends a transaction left idle, which frees the locks it held', async () => {
    const forgetful = strict.createQueryRunner();
    await forgetful.connect();
    await forgetful.startTransaction();
    const [{ pid }] = (await forgetful.query(
      `SELECT pg_backend_pid() AS pid FROM probe WHERE id = 2 FOR UPDATE`,
    )) as [{ pid: number }];

    await waitFor(
      async () => {
        const rows = (await holder.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [
          pid,
        ])) as unknown[];
        return rows.length === 0;
      },
      { timeoutMs: 10_000, description: 'PostgreSQL to end the idle transaction' },
    );
    await expect(forgetful.query(`SELECT 1`)).rejects.toThrow();
    await forgetful.release().catch(() => undefined);
    await expect(
      holder.query(`SELECT note FROM probe WHERE id = 2 FOR UPDATE NOWAIT`),
    ).resolves.toEqual([{ note: 'idle' }]);
  });
});
