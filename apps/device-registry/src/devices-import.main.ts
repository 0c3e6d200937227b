import 'reflect-metadata';

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

import {
  ApplyDeviceChangesUseCase,
  DEVICE_REGISTRY_ENTITIES,
  DEVICE_REGISTRY_MIGRATIONS,
  DeviceCatalogueRepository,
  ImportDevicesUseCase,
} from '@implant-trace/device-registry-feature';
import { loadConfig } from '@implant-trace/platform-config';
import { assertSchemaCurrent, createSchemaDataSource } from '@implant-trace/platform-database';
import { migrateService } from '@implant-trace/platform-http';
import { EventPublisher, OutboxRepository } from '@implant-trace/platform-messaging';

import { DEVICE_REGISTRY_SCHEMA } from './app.module';
import { DeviceRegistryConfig } from './device-registry.config';

/**
 * `npm run devices:import -- FILE`: the same import use case as `POST /v1/devices/import`, run
 * against the service's database directly. An operator's bulk load is not held to the HTTP
 * body limit or a token's lifetime, and needs no running service; its events go into the same
 * outbox in the same transactions, and the service's relay publishes them.
 */
async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: npm run devices:import -- FILE');
  const config = loadConfig(DeviceRegistryConfig);
  const size = (await stat(file)).size;
  // Outside production the import brings the schema up to date itself, through the service's
  // migration step (as the schema owner); the import then runs as the service's own role.
  if (config.environment !== 'production')
    await migrateService(DeviceRegistryConfig, DEVICE_REGISTRY_SCHEMA);
  const dataSource = createSchemaDataSource({
    url: config.databaseUrl,
    schema: config.databaseSchema,
    entities: DEVICE_REGISTRY_ENTITIES,
    migrations: DEVICE_REGISTRY_MIGRATIONS,
    applicationName: `${config.serviceName}-import`,
  });
  await dataSource.initialize();
  try {
    await assertSchemaCurrent(dataSource);
    const importer = new ImportDevicesUseCase(
      new ApplyDeviceChangesUseCase(
        new DeviceCatalogueRepository(dataSource),
        new EventPublisher(config.serviceName, new OutboxRepository(dataSource)),
        { now: () => new Date() },
      ),
    );
    const source = createReadStream(file);
    const started = Date.now();
    const report = await importer.execute(source, {
      onBatch: (progress) => {
        const share = size === 0 ? 1 : source.bytesRead / size;
        const filled = Math.round(share * 30);
        const seconds = (Date.now() - started) / 1000;
        process.stderr.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${(share * 100).toFixed(1)}% ` +
            `${progress.rows} rows, ${Math.round(progress.rows / Math.max(seconds, 0.001))} rows/s `,
        );
      },
    });
    process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
