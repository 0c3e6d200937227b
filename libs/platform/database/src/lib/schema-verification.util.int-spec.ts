import { Test } from '@nestjs/testing';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { Column, Entity, PrimaryColumn } from 'typeorm';

import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';

import { createSchemaDataSource, prepareSchema } from './data-source.factory';
import { DatabaseModule } from './database.module';
import {
  assertSchemaCurrent,
  pendingMigrations,
  schemaDrift,
  SchemaNotCurrentError,
} from './schema-verification.util';

class CreateProbeRecords1767225609000 implements MigrationInterface {
  name = 'CreateProbeRecords1767225609000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE probe_records (record_id uuid PRIMARY KEY, note text NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE probe_records`);
  }
}

@Entity({ name: 'probe_records' })
class ProbeRecordEntity {
  @PrimaryColumn({ name: 'record_id', type: 'uuid' })
  recordId!: string;

  @Column({ type: 'text' })
  note!: string;
}

/** The same table with a column no migration adds: the drift the check exists to catch. */
@Entity({ name: 'probe_records' })
class DriftedProbeRecordEntity {
  @PrimaryColumn({ name: 'record_id', type: 'uuid' })
  recordId!: string;

  @Column({ type: 'text' })
  note!: string;

  @Column({ name: 'recalled_at', type: 'timestamptz' })
  recalledAt!: Date;
}

describe('schema verification against the real PostgreSQL', () => {
  const schemas: string[] = [];
  const dataSources: DataSource[] = [];

  async function connect(
    entities: (typeof ProbeRecordEntity | typeof DriftedProbeRecordEntity)[],
    schema = uniqueName('it_schema_check'),
  ): Promise<DataSource> {
    if (!schemas.includes(schema)) schemas.push(schema);
    const dataSource = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema,
      entities,
      migrations: [CreateProbeRecords1767225609000],
    });
    await dataSource.initialize();
    dataSources.push(dataSource);
    return dataSource;
  }

  afterAll(async () => {
    const [first] = dataSources;
    for (const schema of schemas) await first?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    for (const dataSource of dataSources) await dataSource.destroy();
  });

  it('names the pending migrations of an unmigrated schema and creates nothing while asking', async () => {
    const dataSource = await connect([ProbeRecordEntity]);
    await dataSource.query(`CREATE SCHEMA "${String(dataSource.driver.schema)}"`);
    expect(await pendingMigrations(dataSource)).toEqual(['CreateProbeRecords1767225609000']);
    const error = await assertSchemaCurrent(dataSource).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaNotCurrentError);
    expect((error as SchemaNotCurrentError).pending).toEqual(['CreateProbeRecords1767225609000']);
    expect((error as Error).message).toContain('npm run db:migrate');
    const [{ tables }] = (await dataSource.query(
      `SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = $1`,
      [dataSource.driver.schema],
    )) as [{ tables: number }];
    expect(tables).toBe(0);
  });

  it('finds no drift once the migrations that match the entities have run', async () => {
    const dataSource = await connect([ProbeRecordEntity]);
    expect(await prepareSchema(dataSource)).toEqual(['CreateProbeRecords1767225609000']);
    expect(await pendingMigrations(dataSource)).toEqual([]);
    expect(await schemaDrift(dataSource)).toEqual([]);
    await expect(assertSchemaCurrent(dataSource)).resolves.toBeUndefined();
  });

  it('lists the statement a missing migration would hold when an entity drifted', async () => {
    const migrated = await connect([ProbeRecordEntity]);
    await prepareSchema(migrated);
    const drifted = await connect([DriftedProbeRecordEntity], String(migrated.driver.schema));
    expect(await schemaDrift(drifted)).toEqual([
      'ALTER TABLE "probe_records" ADD "recalled_at" TIMESTAMP WITH TIME ZONE NOT NULL',
    ]);
    const error = await assertSchemaCurrent(drifted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaNotCurrentError);
    expect((error as Error).message).toContain('ADD "recalled_at"');
  });

  it('a service that does not migrate at start-up refuses to start on an unmigrated schema', async () => {
    const schema = uniqueName('it_schema_check');
    schemas.push(schema);
    const boot = Test.createTestingModule({
      imports: [
        DatabaseModule.forRoot({
          url: testInfrastructure().databaseUrl,
          schema,
          entities: [ProbeRecordEntity],
          migrations: [CreateProbeRecords1767225609000],
          migrate: false,
        }),
      ],
    }).compile();
    await expect(boot).rejects.toThrow(/pending migration\(s\): CreateProbeRecords1767225609000/);
  });
});
