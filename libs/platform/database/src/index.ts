export {
  assertSqlIdentifier,
  createSchemaDataSource,
  prepareSchema,
  type SchemaDataSourceOptions,
} from './lib/data-source.factory';
