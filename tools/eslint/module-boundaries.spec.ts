import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '..', '..');

interface EslintJsonResult {
  messages: { ruleId: string | null; message: string }[];
}

// The CLI, not the API: ESLint loads its flat config with a dynamic import that Jest's
// module sandbox cannot perform.
function ruleIdsFor(code: string, filePath: string): string[] {
  const run = spawnSync(
    join(workspaceRoot, 'node_modules/.bin/eslint'),
    ['--format', 'json', '--stdin', '--stdin-filename', join(workspaceRoot, filePath)],
    { cwd: workspaceRoot, input: code, encoding: 'utf8' },
  );
  const [result] = JSON.parse(run.stdout) as EslintJsonResult[];
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

// These cases prove the lint configuration itself: each one is a violation added on purpose.
describe('lint configuration', () => {
  jest.setTimeout(60_000);

  it('refuses a domain library importing a platform library', () => {
    const ids = ruleIdsFor(
      "import { loadConfig } from '@implant-trace/platform-config';\nexport const x = loadConfig;\n",
      'libs/udi/src/lint-fixture.ts',
    );
    expect(ids).toContain('@nx/enforce-module-boundaries');
  });

  it('refuses framework and driver imports in a domain library', () => {
    const ids = ruleIdsFor(
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
      'libs/identifiers/src/lint-fixture.ts',
    );
    expect(ids).toContain('@nx/enforce-module-boundaries');
  });

  it('refuses kafkajs outside the messaging library', () => {
    const ids = ruleIdsFor(
      "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n",
      'libs/platform/database/src/lint-fixture.ts',
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('refuses a floating promise', () => {
    const ids = ruleIdsFor(
      'export function f(): void {\n  Promise.resolve(1);\n}\n',
      'libs/platform/config/src/lint-fixture.ts',
    );
    expect(ids).toContain('@typescript-eslint/no-floating-promises');
  });

  it('refuses a dependency looked up through ModuleRef with strict: false', () => {
    const ids = ruleIdsFor(
      "export function f(moduleRef: { get(t: unknown, o: unknown): unknown }): unknown {\n  return moduleRef.get('x', { strict: false });\n}\n",
      'libs/platform/config/src/lint-fixture.ts',
    );
    expect(ids).toContain('no-restricted-syntax');
  });

  it('refuses production code importing the testing helpers', () => {
    const ids = ruleIdsFor(
      "import { waitFor } from '@implant-trace/platform-testing';\nexport const x = waitFor;\n",
      'libs/platform/database/src/lint-fixture.ts',
    );
    expect(ids).toContain('@nx/enforce-module-boundaries');
  });

  it("refuses a library importing a service's config class from its app", () => {
    const ids = ruleIdsFor(
      "import { DeviceRegistryConfig } from '../../../../apps/device-registry/src/device-registry.config';\nexport const x = DeviceRegistryConfig;\n",
      'libs/platform/database/src/lint-fixture.ts',
    );
    expect(ids).toContain('@nx/enforce-module-boundaries');
  });

  it('accepts an allowed dependency', () => {
    const ids = ruleIdsFor(
      "import { loadConfig } from '@implant-trace/platform-config';\nexport const x = loadConfig;\n",
      'libs/platform/database/src/lint-fixture.ts',
    );
    expect(ids).toEqual([]);
  });
});
