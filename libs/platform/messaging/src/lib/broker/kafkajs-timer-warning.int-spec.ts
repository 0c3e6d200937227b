import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..', '..');
const kafkaClientFactory = join(__dirname, 'kafka-client.factory.ts');

/**
 * Runs `script` in a fresh process of the pinned Node (warnings are per process: Node says
 * "negative number" only once) and returns what it wrote to standard error.
 */
function stderrOf(script: string): string {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return result.stderr;
}

/** What kafkajs 2.2.4 does on every connection: schedule its throttle check with no throttle. */
const KAFKAJS_THROTTLE_CHECK = `
  const RequestQueue = require('kafkajs/src/network/requestQueue');
  const queue = new RequestQueue({ logger: {} });
  queue.scheduleCheckPendingRequests();
  clearTimeout(queue.throttleCheckTimeoutId);
`;
const WITH_FILTER = `require(${JSON.stringify(kafkaClientFactory)}).createKafkaClient({ brokers: ['127.0.0.1:1'], clientId: 'warning-probe' });`;

describe("kafkajs's TimeoutNegativeWarning on the pinned Node", () => {
  it('is printed by kafkajs without the filter (the quirk is real)', () => {
    expect(stderrOf(KAFKAJS_THROTTLE_CHECK)).toMatch(
      /TimeoutNegativeWarning: -\d{13} is a negative number/,
    );
  });

  it('is dropped once a Kafka client was created, while other warnings still print', () => {
    const stderr = stderrOf(
      `${WITH_FILTER}${KAFKAJS_THROTTLE_CHECK}process.emitWarning('still shown', 'ImplantTraceProbeWarning');`,
    );
    expect(stderr).not.toContain('TimeoutNegativeWarning');
    expect(stderr).toContain('ImplantTraceProbeWarning: still shown');
  });

  it('lets a negative deadline of ours through', () => {
    expect(stderrOf(`${WITH_FILTER}setTimeout(() => undefined, -250);`)).toContain(
      'TimeoutNegativeWarning: -250 is a negative number',
    );
  });
});
