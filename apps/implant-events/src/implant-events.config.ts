import { IsIn } from 'class-validator';

import { NHS_NUMBER_POLICIES, type NhsNumberPolicy } from '@implant-trace/implant-events-feature';
import { EnvVariable, ServiceConfigBase } from '@implant-trace/platform-config';

export class ImplantEventsConfig extends ServiceConfigBase {
  readonly serviceName = 'implant-events';
  override port = 3002;
  override databaseSchema = 'implant_events';

  @EnvVariable({
    name: 'NHS_NUMBER_POLICY',
    description: 'refuse-test-numbers (production), require-test-numbers (demo) or any',
  })
  @IsIn(NHS_NUMBER_POLICIES)
  nhsNumberPolicy: NhsNumberPolicy = 'any';
}
