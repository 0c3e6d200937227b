import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
  CE_HEADERS,
  KafkaConnection,
  messagingConnectionOptions,
  readTopic,
} from '@implant-trace/platform-messaging';
import { KafkaClientConfig, loadConfig } from '@implant-trace/platform-config';
import type { SecureTestBroker } from '@implant-trace/platform-testing';
import { startSecureTestBroker, uniqueName } from '@implant-trace/platform-testing';

const workspaceRoot = join(__dirname, '..', '..');
const runFile = promisify(execFile);

/** `npm run messaging:replay -- <args>` with exactly the variables given (and PATH). */
async function replay(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; output: string }> {
  const command = [...process.execArgv, '-r', '@swc-node/register', 'tools/messaging/replay.ts'];
  return runFile(process.execPath, [...command, ...args], {
    cwd: workspaceRoot,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    timeout: 90_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, output: `${stdout}${stderr}` }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
}

describe('the replay tool against a cluster that demands TLS and SCRAM', () => {
  let broker: SecureTestBroker;
  let scram: Record<string, string>;
  let kafka: KafkaConnection;

  // keytool and a broker take a JVM each: see kafka-tls.int-spec.ts.
  beforeAll(async () => {
    broker = await startSecureTestBroker();
    scram = broker.scramVariables;
    kafka = new KafkaConnection(
      messagingConnectionOptions(loadConfig(KafkaClientConfig, scram), 'it-replay'),
    );
  }, 120_000);

  afterAll(async () => {
    await broker?.stop();
  });

  it('re-drives a dead letter to its topic, connecting from the services’ KAFKA_* variables', async () => {
    const topic = uniqueName('it.replay');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic }, { topic: `${topic}.dlq` }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.idempotentProducer();
    await producer.connect();
    await producer.send({
      topic: `${topic}.dlq`,
      acks: -1,
      messages: [
        {
          key: 'implant-1',
          value: '{"implantId":"implant-1"}',
          headers: { [CE_HEADERS.id]: 'event-1', dlq_reason: 'handler refused it' },
        },
      ],
    });
    await producer.disconnect();

    const run = await replay(scram, 'redrive-dlq', topic);

    // kafkajs may log a retried coordinator look-up on a new broker: find the tool's own line.
    expect(run.output.split('\n')).toContain(`re-drove 1 dead letters to ${topic}`);
    expect(run.code).toBe(0);
    const [message] = await readTopic(kafka, topic, { until: (read) => read.length === 1 });
    expect(message?.key).toBe('implant-1');
    expect(message?.headers).toEqual({ [CE_HEADERS.id]: 'event-1' });
  }, 120_000);

  it('refuses to start on a SASL setting that would send the password in clear, naming it', async () => {
    const run = await replay({ ...scram, KAFKA_SSL: 'false' }, 'redrive-dlq', 'any.topic');

    expect(run.code).toBe(1);
    expect(run.output).toContain('KAFKA_SASL_MECHANISM needs KAFKA_SSL=true');
    expect(run.output).not.toContain(broker.scramPassword);
  });
});
