export {
  assertSqlIdentifier,
  createSchemaDataSource,
  prepareSchema,
  type DatabaseSessionTimeouts,
  type SchemaDataSourceOptions,
} from './lib/data-source.factory';
export { copyRows, type CopyValue } from './lib/copy-rows.util';
export { DatabaseModule, type DatabaseModuleOptions } from './lib/database.module';
export {
  assertSchemaCurrent,
  pendingMigrations,
  schemaDrift,
  SchemaNotCurrentError,
} from './lib/schema-verification.util';
export { inRequestTransaction, UnitOfWork } from './lib/unit-of-work.util';
export { GroupCommitQueue } from './lib/group-commit.util';
