// One Jest setup for every project: SWC transform (decorator metadata kept for Nest and
// class-validator), workspace aliases from tsconfig.base.json, and the two test tiers as
// Jest "projects" so a project's config can run either with --selectProjects.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const workspaceRoot = __dirname;

const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${escapeRegExp(alias)}$`,
    path.join(workspaceRoot, target),
  ]),
);

function tier(displayName, rootDir, testMatch, extra = {}) {
  return {
    displayName,
    rootDir,
    testMatch,
    testEnvironment: path.join(workspaceRoot, 'tools/jest/node-environment.cjs'),
    transform: { '^.+\\.(t|j)s$': swcTransform },
    // jose ships ESM only and Jest's CommonJS runtime cannot require() it untransformed, so it
    // alone of node_modules goes through the SWC transform (Node itself loads it natively).
    transformIgnorePatterns: ['/node_modules/(?!jose/)'],
    moduleNameMapper,
    setupFiles: [path.join(workspaceRoot, 'tools/jest/setup-env.cjs')],
    ...extra,
  };
}

/** Jest config for the project rooted at `projectDir` (pass `__dirname`). */
function forProject(projectDir) {
  return {
    projects: [
      tier('unit', projectDir, ['<rootDir>/**/*.spec.ts']),
      tier('integration', projectDir, ['<rootDir>/**/*.int-spec.ts'], {
        setupFilesAfterEnv: [path.join(workspaceRoot, 'tools/jest/integration-timeout.cjs')],
      }),
    ],
  };
}

module.exports = { forProject, swcTransform, moduleNameMapper };
