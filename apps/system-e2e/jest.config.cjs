const path = require('node:path');
const { moduleNameMapper, swcTransform } = require('../../jest.preset.cjs');

// Black-box tests: the services run as the processes `npm start` runs, driven over HTTP and
// observed on Kafka.
module.exports = {
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testEnvironment: path.join(__dirname, '../../tools/jest/node-environment.cjs'),
  transform: { '^.+\\.(t|j)s$': swcTransform },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper,
  setupFiles: [path.join(__dirname, '../../tools/jest/setup-env.cjs')],
  setupFilesAfterEnv: [path.join(__dirname, '../../tools/jest/integration-timeout.cjs')],
};
