export {
  assertSqlIdentifier,
  createSchemaDataSource,
  prepareSchema,
  type SchemaDataSourceOptions,
} from './lib/data-source.factory';
export { DatabaseModule, type DatabaseModuleOptions } from './lib/database.module';
export { inRequestTransaction, UnitOfWork } from './lib/unit-of-work.util';
