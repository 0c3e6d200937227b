import { ServiceConfigBase } from '@implant-trace/platform-config';

export class RecallMatchingConfig extends ServiceConfigBase {
  readonly serviceName = 'recall-matching';
  override port = 3003;
  override databaseSchema = 'recall_matching';
}
