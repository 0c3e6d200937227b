import { loadConfig, TestInfrastructureConfig } from '@implant-trace/platform-config';

let cached: TestInfrastructureConfig | undefined;

/** The real servers tests run against (started by `npm run infra:up`). */
export function testInfrastructure(): TestInfrastructureConfig {
  cached ??= loadConfig(TestInfrastructureConfig);
  return cached;
}
