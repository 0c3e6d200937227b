import type { MigrationInterface } from 'typeorm';

import type { Environment, ServiceConfigBase } from '@implant-trace/platform-config';
import { assertSupportedRuntime, loadConfig } from '@implant-trace/platform-config';
import type { SchemaDataSourceOptions } from '@implant-trace/platform-database';
import {
  assertSchemaCurrent,
  createSchemaDataSource,
  prepareSchema,
} from '@implant-trace/platform-database';
import { createLogger } from '@implant-trace/platform-observability';

import { PLATFORM_MIGRATIONS } from './service-platform.module';

/** What a service's schema holds beyond the platform's tables: its entities and migrations. */
export interface ServiceSchema {
  entities?: SchemaDataSourceOptions['entities'];
  migrations?: (new () => MigrationInterface)[];
}

/**
 * A service's whole `migrate.ts`, its migration step (`node dist/apps/<service>/migrate.js`,
 * `npm run db:migrate -- <service>`), run before the service starts: applies the pending
 * migrations (the platform's first, as the service orders them), then refuses a schema whose
 * tables differ from the entities. Returns the migrations applied: none when already current.
 */
export async function migrateService<C extends ServiceConfigBase>(
  configClass: new () => C,
  schema: ServiceSchema = {},
  env?: Environment,
): Promise<string[]> {
  assertSupportedRuntime();
  const config = loadConfig(configClass, env);
  const logger = createLogger({ service: config.serviceName, level: config.logLevel });
  // Migrations run as the schema owner; the service itself connects as its least-privilege role.
  const dataSource = createSchemaDataSource({
    url: config.databaseMigrationUrl ?? config.databaseUrl,
    schema: config.databaseSchema,
    entities: schema.entities ?? [],
    migrations: [...PLATFORM_MIGRATIONS, ...(schema.migrations ?? [])],
    poolSize: 1,
    applicationName: `${config.serviceName}-migrate`,
  });
  await dataSource.initialize();
  try {
    const applied = await prepareSchema(dataSource);
    await assertSchemaCurrent(dataSource);
    logger.info(
      { schema: config.databaseSchema, applied },
      applied.length === 0
        ? `${config.databaseSchema} is current: no migration to apply`
        : `${config.databaseSchema}: applied ${applied.length} migration(s)`,
    );
    return applied;
  } finally {
    await dataSource.destroy();
  }
}
