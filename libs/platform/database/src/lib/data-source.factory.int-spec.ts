import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';
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
});
