import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { SchemaDataSourceOptions } from './data-source.factory';
import { createSchemaDataSource, prepareSchema } from './data-source.factory';
import { assertSchemaCurrent } from './schema-verification.util';
import { UnitOfWork } from './unit-of-work.util';

export interface DatabaseModuleOptions extends SchemaDataSourceOptions {
  /**
   * Apply pending migrations at start-up (development, tests); production runs them as their
   * own step first. Either way the service refuses a schema that is not current.
   */
  migrate: boolean;
  /** The schema owner's URL that start-up migrations run as; the service itself runs as `url`. */
  migrationUrl?: string;
}

async function migrateAsOwner(options: SchemaDataSourceOptions, ownerUrl: string): Promise<void> {
  const owner = createSchemaDataSource({ ...options, url: ownerUrl, poolSize: 1 });
  await owner.initialize();
  try {
    await prepareSchema(owner);
  } finally {
    await owner.destroy();
  }
}

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Provides the service's TypeORM `DataSource` (inject it by class), confined to its schema,
 * with the entities and migrations of every platform library the service uses plus its own,
 * and the `UnitOfWork` use cases write through.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        {
          provide: DataSource,
          useFactory: async () => {
            const { migrate, migrationUrl } = options;
            if (migrate && migrationUrl !== undefined) await migrateAsOwner(options, migrationUrl);
            const dataSource = createSchemaDataSource(options);
            await dataSource.initialize();
            try {
              if (migrate && migrationUrl === undefined) await prepareSchema(dataSource);
              await assertSchemaCurrent(dataSource);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        },
        DataSourceCloser,
        UnitOfWork,
      ],
      exports: [DataSource, UnitOfWork],
    };
  }
}
