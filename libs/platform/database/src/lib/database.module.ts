import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { SchemaDataSourceOptions } from './data-source.factory';
import { createSchemaDataSource, prepareSchema } from './data-source.factory';
import { UnitOfWork } from './unit-of-work.util';

export interface DatabaseModuleOptions extends SchemaDataSourceOptions {
  /** Apply pending migrations at start-up (development, tests); production runs them as a step. */
  migrate: boolean;
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
            const dataSource = createSchemaDataSource(options);
            await dataSource.initialize();
            if (options.migrate) await prepareSchema(dataSource);
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
