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

  @EnvVariable({ name: 'WEBHOOK_TIMEOUT_MS', description: 'Time a webhook endpoint has to answer' })
  @IsInt()
  @Min(100)
  @Max(60_000)
  webhookTimeoutMs: number = 10_000;
}
