// Jest's node environment, with kafkajs's timer warning dropped in the worker's own process.
// Node's timers warn through the real `process`, which tests cannot reach: inside the test
// sandbox `process` is Jest's copy. The filter is the one the services use (through
// createKafkaClient); Jest's transform compiles its TypeScript.
const { TestEnvironment } = require('jest-environment-node');
const {
  dropKafkajsTimerWarning,
} = require('../../libs/platform/observability/src/lib/process-warnings.util.ts');

dropKafkajsTimerWarning(process);

module.exports = TestEnvironment;
