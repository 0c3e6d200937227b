import type { DataSource, MigrationInterface } from 'typeorm';

import { assertSqlIdentifier } from './data-source.factory';

function schemaOf(dataSource: DataSource): string {
  return assertSqlIdentifier(String(dataSource.driver.schema ?? 'public'));
}

/** TypeORM's own naming: a migration's `name`, else its class name (ending in its timestamp). */
function migrationName(migration: MigrationInterface): string {
  return migration.name ?? migration.constructor.name;
}

/**
 * The data source's migrations its schema has not applied yet, in the order TypeORM applies
 * them. Only reads, so a service connected as a role that may not create tables can ask.
 */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const schema = schemaOf(dataSource);
  const [{ table }] = (await dataSource.query(`SELECT to_regclass($1) AS "table"`, [
    `"${schema}"."migrations"`,
  ])) as [{ table: string | null }];
  const applied =
    table === null
      ? new Set<string>()
      : new Set(
          (
            (await dataSource.query(`SELECT name FROM "${schema}"."migrations"`)) as {
              name: string;
            }[]
          ).map((row) => row.name),
        );
  const timestamp = (name: string) => Number(name.slice(-13));
  return dataSource.migrations
    .map(migrationName)
    .filter((name) => !applied.has(name))
    .sort((a, b) => timestamp(a) - timestamp(b));
}

/**
 * The statements TypeORM would run to make the schema fit the entities: what
 * `migration:generate` would write. Empty when the entities and the applied migrations agree.
 */
export async function schemaDrift(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}

export class SchemaNotCurrentError extends Error {
  constructor(
    readonly schema: string,
    readonly pending: string[],
    readonly drift: string[],
  ) {
    const problems = [
      ...(pending.length === 0
        ? []
        : [
            `${pending.length} pending migration(s): ${pending.join(', ')}. ` +
              "Run the service's migration step first (node dist/apps/<service>/migrate.js, " +
              'or npm run db:migrate -- <service>).',
          ]),
      ...(drift.length === 0
        ? []
        : [
            'the entities disagree with the migrations; a migration is missing for:\n' +
              drift.map((query) => `    ${query}`).join('\n'),
          ]),
    ];
    super(`Schema "${schema}" is not current:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SchemaNotCurrentError';
  }
}

/**
 * Refuses a schema that lacks any of the data source's migrations or whose tables differ from
 * its entities, so no service reads or writes records through a model its tables do not hold.
 */
export async function assertSchemaCurrent(dataSource: DataSource): Promise<void> {
  const pending = await pendingMigrations(dataSource);
  // The entities are compared with what the migrations built, so only once all have run.
  const drift = pending.length === 0 ? await schemaDrift(dataSource) : [];
  if (pending.length > 0 || drift.length > 0) {
    throw new SchemaNotCurrentError(schemaOf(dataSource), pending, drift);
  }
}
