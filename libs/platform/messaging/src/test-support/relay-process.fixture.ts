// An outbox relay in its own process, so a test can SIGKILL or SIGSTOP it at an exact point
// of a send. Arguments arrive as one JSON document. It reports on stdout, one line each:
// `started`, `sending` (a request is about to leave), `sent` (the broker acknowledged it)
// and `lane-lost` (PostgreSQL ended its lane's transaction before it committed the batch).
import 'reflect-metadata';

import { createSchemaDataSource } from '@implant-trace/platform-database';

import { LaneLostError } from '../lib/outbox/held-lanes';
import { OutboxRelay } from '../lib/outbox/outbox-relay';
import { OutboxRepository } from '../lib/outbox/outbox.repository';
import { InterposedKafkaConnection } from './interposed-kafka-connection';

interface FixtureArguments {
  databaseUrl: string;
  schema: string;
  brokers: string[];
  relayId: string;
  leaseMs: number;
  /** Lane workers: one, so a test knows which lane the paused send holds. */
  concurrency: number;
  /** Pause this long before each send (time for a test to SIGSTOP the process). */
  pauseBeforeSendMs: number;
  /** Never return from a send the broker acknowledged: the relay never marks. */
  hangAfterSend: boolean;
}

const report = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as FixtureArguments;
  const dataSource = createSchemaDataSource({ url: args.databaseUrl, schema: args.schema });
  await dataSource.initialize();
  const kafka = new InterposedKafkaConnection(
    { brokers: args.brokers, clientId: 'it-relay-process' },
    {
      beforeSend: async () => {
        report('sending');
        await new Promise((resolve) => setTimeout(resolve, args.pauseBeforeSendMs));
      },
      afterSend: async () => {
        report('sent');
        if (args.hangAfterSend) await new Promise(() => undefined);
      },
    },
  );
  const relay = new OutboxRelay(new OutboxRepository(dataSource), kafka, {
    relayId: args.relayId,
    leaseMs: args.leaseMs,
    concurrency: args.concurrency,
    onError: (error) => {
      if (error instanceof LaneLostError) report('lane-lost');
    },
  });
  await relay.start();
  report('started');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
