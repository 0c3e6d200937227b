import { IsInt, Min } from 'class-validator';

import { EnvVariable, ServiceConfigBase } from '@implant-trace/platform-config';

export class DeviceRegistryConfig extends ServiceConfigBase {
  readonly serviceName = 'device-registry';
  override port = 3001;
  override databaseSchema = 'device_registry';

  @EnvVariable({
    name: 'IMPORT_MAX_BYTES',
    description: 'Largest bulk import file accepted over HTTP',
  })
  @IsInt()
  @Min(1024)
  importMaxBytes: number = 512 * 1024 * 1024;
}
