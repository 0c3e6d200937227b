const path = require('node:path');
const { moduleNameMapper } = require('../../../jest.preset.cjs');

const workspaceRoot = path.join(__dirname, '..', '..', '..');

// Component tests: the preset's SWC transform with TSX and React's automatic runtime, in jsdom.
// idb and oauth4webapi ship ESM only, so they go through the transform too.
const tsxTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.spec.tsx'],
      testEnvironment: 'jsdom',
      transform: { '^.+\\.(t|j)sx?$': tsxTransform },
      transformIgnorePatterns: ['/node_modules/(?!(idb|oauth4webapi)/)'],
      moduleNameMapper,
      setupFiles: [path.join(workspaceRoot, 'tools/jest/setup-env.cjs')],
    },
  ],
};
