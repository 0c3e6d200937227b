import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';

import type { Environment } from '@implant-trace/platform-config';
import type { SecureTestBroker } from '@implant-trace/platform-testing';
import {
  ProbeServiceConfig,
  startSecureTestBroker,
  testServiceConfig,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';
import type { Kafka, Producer } from 'kafkajs';

import type { KafkaClientOptions } from './kafka-client.factory';
import { createKafkaClient } from './kafka-client.factory';
import { KafkaConnection, messagingConnectionOptions } from './kafka-connection';

/** Creates a topic, produces one message with acks=all and reads it back in a group. */
async function roundTrip(
  admin: ReturnType<Kafka['admin']>,
  producer: Producer,
  consume: (groupId: string) => ReturnType<Kafka['consumer']>,
): Promise<string[]> {
  const topic = uniqueName('it.tls');
  await admin.connect();
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
  const consumer = consume(uniqueName('it-tls-group'));
  const received: string[] = [];
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(`${message.key?.toString()}=${message.value?.toString()}`);
      },
    });
    await producer.send({ topic, acks: -1, messages: [{ key: 'implant-1', value: 'recorded' }] });
    await waitFor(() => received.length === 1, { description: 'the message over TLS' });
    return received;
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  }
}

function roundTripWith(options: KafkaClientOptions): Promise<string[]> {
  const kafka = createKafkaClient(options);
  return roundTrip(
    kafka.admin(),
    kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
    (g) => kafka.consumer({ groupId: g, maxWaitTimeInMs: 100 }),
  );
}

function serviceConfig(overrides: Environment): ProbeServiceConfig {
  return testServiceConfig(ProbeServiceConfig, {
    schema: 'it_kafka_tls',
    jwtSecret: 'k'.repeat(40),
    overrides,
  });
}

describe('Kafka over TLS and SASL', () => {
  let broker: SecureTestBroker;
  let ca: string;

  // Making certificates with keytool and starting a broker take a JVM each: on a loaded
  // machine this hook may need more than the default 60 s, although it usually takes ~20 s.
  beforeAll(async () => {
    broker = await startSecureTestBroker();
    ca = readFileSync(broker.caFile, 'utf8');
  }, 120_000);

  afterAll(async () => {
    await broker?.stop();
  });

  it('produces and consumes over mutual TLS with a certificate signed by the configured CA', async () => {
    const received = await roundTripWith({
      brokers: broker.sslBrokers,
      clientId: 'it-mtls',
      tls: {
        ca,
        cert: readFileSync(broker.clientCertFile, 'utf8'),
        key: readFileSync(broker.clientKeyFile, 'utf8'),
      },
    });
    expect(received).toEqual(['implant-1=recorded']);
  });

  it('produces and consumes over SASL_SSL with the right SCRAM-SHA-256 password', async () => {
    const received = await roundTripWith({
      brokers: broker.saslSslBrokers,
      clientId: 'it-scram-256',
      tls: { ca },
      sasl: {
        mechanism: 'SCRAM-SHA-256',
        username: broker.scramUsername,
        password: broker.scramPassword,
      },
    });
    expect(received).toEqual(['implant-1=recorded']);
  });

  it('refuses a wrong password with a clear error that does not hold either password', async () => {
    const wrongPassword = `${broker.scramPassword}-wrong`;
    const admin = createKafkaClient({
      brokers: broker.saslSslBrokers,
      clientId: 'it-scram-wrong',
      tls: { ca },
      sasl: { mechanism: 'SCRAM-SHA-512', username: broker.scramUsername, password: wrongPassword },
    }).admin();
    const refusal = await admin.connect().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    await admin.disconnect();
    expect(refusal?.name).toBe('KafkaJSSASLAuthenticationError');
    expect(refusal?.message).toMatch(
      /^SASL SCRAM SHA512 authentication failed: .*invalid credentials/,
    );
    const everything = `${inspect(refusal, { depth: 10 })} ${JSON.stringify(refusal)}`;
    expect(everything).not.toContain(wrongPassword);
    expect(everything).not.toContain(broker.scramPassword);
  });

  it('connects the way services do: from the KAFKA_* variables, CA file and SCRAM-SHA-512', async () => {
    const config = serviceConfig(broker.scramVariables);
    const connection = new KafkaConnection(messagingConnectionOptions(config, config.serviceName));
    const received = await roundTrip(connection.admin(), connection.idempotentProducer(), (g) =>
      connection.consumer(g),
    );
    expect(received).toEqual(['implant-1=recorded']);
  });

  it('connects the way services do: a client certificate as PEM text and its key as a file', async () => {
    const config = serviceConfig({
      KAFKA_BROKERS: broker.sslBrokers.join(','),
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA: ca,
      KAFKA_SSL_CERT: readFileSync(broker.clientCertFile, 'utf8'),
      KAFKA_SSL_KEY: broker.clientKeyFile,
    });
    const connection = new KafkaConnection(messagingConnectionOptions(config, config.serviceName));
    const received = await roundTrip(connection.admin(), connection.idempotentProducer(), (g) =>
      connection.consumer(g),
    );
    expect(received).toEqual(['implant-1=recorded']);
  });

  it("keeps the password and the private key out of kafkajs's own log lines", async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    const spies = (['log', 'info', 'warn', 'error'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation(capture),
    );
    const key = readFileSync(broker.clientKeyFile, 'utf8');
    const wrongPassword = `${broker.scramPassword}-wrong`;
    try {
      for (const password of [broker.scramPassword, wrongPassword]) {
        const admin = createKafkaClient({
          brokers: broker.saslSslBrokers,
          clientId: 'it-scram-logs',
          verbose: true,
          tls: { ca, cert: readFileSync(broker.clientCertFile, 'utf8'), key },
          sasl: { mechanism: 'SCRAM-SHA-256', username: broker.scramUsername, password },
        }).admin();
        await admin.connect().catch(() => undefined);
        await admin.disconnect();
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(lines.some((line) => line.includes('SASL SCRAM SHA256 authentication failed'))).toBe(
      true,
    );
    for (const secret of [broker.scramPassword, wrongPassword, key.split('\n')[1] ?? key]) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
