import { IsBoolean, IsInt, Max, Min } from 'class-validator';

import { EnvVariable, ServiceConfigBase } from '@implant-trace/platform-config';

export class NotificationsConfig extends ServiceConfigBase {
  readonly serviceName = 'notifications';
  override port = 3004;
  override databaseSchema = 'notifications';

  @EnvVariable({
    name: 'WEBHOOK_ALLOW_PRIVATE_URLS',
    description: 'Allow webhook endpoints on private or loopback addresses (development only)',
  })
  @IsBoolean()
  webhookAllowPrivateUrls: boolean = false;

  @EnvVariable({
    name: 'WEBHOOK_ALLOW_LOOPBACK_URLS',
    description: 'Allow webhook endpoints on loopback addresses, over HTTP too (local runs, tests)',
  })
  @IsBoolean()
  webhookAllowLoopbackUrls: boolean = false;

  @EnvVariable({ name: 'WEBHOOK_TIMEOUT_MS', description: 'Time a webhook endpoint has to answer' })
  @IsInt()
  @Min(100)
  @Max(60_000)
  webhookTimeoutMs: number = 10_000;

  @EnvVariable({
    name: 'WEBHOOK_WORKER_CONCURRENCY',
    description: 'Webhook sends in flight in one process at most',
  })
  @IsInt()
  @Min(1)
  @Max(1000)
  webhookWorkerConcurrency: number = 64;

  @EnvVariable({
    name: 'WEBHOOK_ENDPOINT_CONCURRENCY',
    description: 'Webhook sends in flight to one endpoint at most, across all processes',
  })
  @IsInt()
  @Min(1)
  @Max(100)
  webhookEndpointConcurrency: number = 4;

  @EnvVariable({
    name: 'WEBHOOK_WORKERS',
    description: 'Run delivery workers in this process (several processes may)',
  })
  @IsBoolean()
  webhookWorkers: boolean = true;
}
