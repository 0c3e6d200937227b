import { ServiceConfigBase } from '@implant-trace/platform-config';

/**
 * The settings every service shares, for platform tests that need a service but none of its
 * own variables (each service's own config class lives with its app, out of a library's reach).
 */
export class ProbeServiceConfig extends ServiceConfigBase {
  readonly serviceName = 'probe-service';
  override port = 3000;
  override databaseSchema = 'probe_service';
}
