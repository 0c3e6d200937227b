import type { StdioOptions } from 'node:child_process';

export function migratableServices(): string[];
export function migrateServices(
  services: readonly string[],
  env?: NodeJS.ProcessEnv,
  stdio?: StdioOptions,
): void;
