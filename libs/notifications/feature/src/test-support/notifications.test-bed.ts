/** The service under test, a stand-in for its upstream publishers, and webhook receivers. */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';

import type { EVENTS } from '@implant-trace/contracts';
import { IMPLANTS_TOPIC, MATCHES_TOPIC, RECALLS_TOPIC } from '@implant-trace/contracts';
import type { Role } from '@implant-trace/platform-auth';
import { mintDevelopmentToken } from '@implant-trace/platform-auth';
import { ServiceConfigBase } from '@implant-trace/platform-config';
import { DatabaseModule } from '@implant-trace/platform-database';
import { createServiceApp } from '@implant-trace/platform-http';
import {
  EventPublisher,
  KafkaConnection,
  MESSAGING_MIGRATIONS,
  MessagingModule,
  provisionTopics,
  keepOutboxCopies,
  reinsertOutboxCopies,
  untilOutboxEmpty,
  type OutboxRowCopy,
  publishedEvents,
  type PublishedEvent,
} from '@implant-trace/platform-messaging';
import {
  testInfrastructure,
  testServiceConfig,
  uniqueName,
  freshOds,
  dropTestSchema as dropSchema,
} from '@implant-trace/platform-testing';

import {
  NOTIFICATIONS_ENTITIES,
  NOTIFICATIONS_MIGRATIONS,
  NotificationsModule,
} from '../lib/notifications.module';
import type { NotificationsOptions } from '../lib/notifications.options';

export { freshOds, dropSchema };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answers as loose JSON
export type JsonBody = Record<string, any>;

export const secret = 'integration-test-secret-of-at-least-32-chars';

export const token = (role: Role, ods?: string) =>
  mintDevelopmentToken({
    secret,
    role,
    ...(ods === undefined ? {} : { ods }),
    issuer: 'implant-trace-dev',
    audience: 'implant-trace',
  });

export function matchFound(hospitalOds: string, overrides: JsonBody = {}) {
  return {
    matchId: randomUUID(),
    recallId: randomUUID(),
    implantId: randomUUID(),
    hospitalOds,
    match: 'matched' as const,
    patient: { nhsNumber: '9434765919' },
    udi: { format: 'gs1', issuingAgency: 'GS1', deviceIdentifier: '05012345678900' },
    foundAt: new Date().toISOString(),
    ...overrides,
  };
}

export function implantRecorded(hospitalOds: string) {
  return {
    implantId: randomUUID(),
    hospitalOds,
    patient: { nhsNumber: '9434765919' },
    udi: { format: 'gs1', issuingAgency: 'GS1', deviceIdentifier: '05012345678900' },
    entryMethod: 'barcode' as const,
    implantedAt: new Date().toISOString(),
    recordedBy: 'theatre-nurse',
    reviewFlags: [],
  };
}

export function recallIssued(overrides: JsonBody = {}) {
  return {
    recallId: randomUUID(),
    title: 'Liner wear',
    reason: 'Early wear of the liner',
    class: 'II' as const,
    criteria: { deviceIdentifiers: ['05012345678900'] },
    status: 'open' as const,
    issuedAt: new Date().toISOString(),
    ...overrides,
  };
}

/**
 * Stands in for recall-matching and implant-events: publishes their events through an outbox of
 * its own schema, so events reach the topics whether or not the service under test runs.
 */
export class Upstream {
  private app: INestApplication | undefined;
  readonly schema = uniqueName('it_nt_upstream');
  /** Each sent outbox row, so it can be sent again: the relay deletes what it sent. */
  private readonly sent = new Map<string, OutboxRowCopy>();

  async start(): Promise<void> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        DatabaseModule.forRoot({
          url: testInfrastructure().databaseUrl,
          schema: this.schema,
          migrations: MESSAGING_MIGRATIONS,
          migrate: true,
        }),
        MessagingModule.forRoot({
          serviceName: 'it-upstream',
          kafka: { kafkaBrokers: testInfrastructure().kafkaBrokers, kafkaSsl: false },
          ownedTopics: [MATCHES_TOPIC, RECALLS_TOPIC, IMPLANTS_TOPIC],
        }),
      ],
    }).compile();
    this.app = moduleRef.createNestApplication({ logger: false });
    await this.app.init();
  }

  /** Resolves once the relay has sent every event given; answers their event ids. */
  async publish(
    ...events: [definition: (typeof EVENTS)[keyof typeof EVENTS], payload: object][]
  ): Promise<string[]> {
    const app = this.app!;
    const dataSource = app.get(DataSource);
    const ids: string[] = [];
    await dataSource.transaction(async (tx) => {
      for (const [definition, payload] of events) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test's mixed events
        ids.push(await app.get(EventPublisher).publish(tx, definition as any, payload));
      }
      await keepOutboxCopies(tx, ids, this.sent);
    });
    await untilOutboxEmpty(dataSource, 'the upstream relay to send its events');
    return ids;
  }

  /** Sends an already published event again, as a relay retrying after a lost ack would. */
  async republish(eventId: string): Promise<void> {
    const dataSource = this.app!.get(DataSource);
    await reinsertOutboxCopies(dataSource, [eventId], this.sent);
    await untilOutboxEmpty(dataSource, 'the upstream relay to send the event again');
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await dropSchema(this.schema);
  }
}

export class NotificationsTestConfig extends ServiceConfigBase {
  readonly serviceName = 'notifications';
  override port = 3004;
}

/** Fast retries so that a test sees a whole schedule; the same shape as production's. */
export const TEST_RETRY_SCHEDULE = [50, 100, 150, 200];

export type TestOptions = Partial<Omit<NotificationsOptions, 'serviceName' | 'kafka'>>;

/** One instance of the service: its schema and consumer group survive a restart. */
export class Service {
  app: INestApplication | undefined;
  baseUrl = '';

  constructor(
    public options: TestOptions = {},
    readonly schema = uniqueName('it_notifications'),
    readonly groupId = uniqueName('it-notifications'),
  ) {}

  private started = false;

  /**
   * A new consumer group would read every earlier run's events from the shared topics first;
   * the tests publish their own after the start, so the group begins at the topics' ends.
   */
  private async skipHistory(): Promise<void> {
    const kafka = new KafkaConnection({
      clientId: 'it-notifications-offsets',
      brokers: testInfrastructure().kafkaBrokers,
    });
    const topics = [MATCHES_TOPIC, RECALLS_TOPIC, IMPLANTS_TOPIC];
    await provisionTopics(kafka, topics);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Explicit offsets: a committed "latest" marker (-1) would read as no offset at all.
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic.name);
        await admin.setOffsets({
          groupId: this.groupId,
          topic: topic.name,
          partitions: ends.map((end) => ({ partition: end.partition, offset: end.high })),
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  async start(): Promise<void> {
    if (!this.started) await this.skipHistory();
    this.started = true;
    const config = testServiceConfig(NotificationsTestConfig, {
      schema: this.schema,
      jwtSecret: secret,
    });
    config.databaseSchema = this.schema;
    const app = await createServiceApp({
      config,
      imports: [
        NotificationsModule.forRoot({
          serviceName: config.serviceName,
          kafka: config,
          consumerGroupId: this.groupId,
          urlPolicy: { allowLoopback: true, allowPrivate: false },
          webhookTimeoutMs: 2_000,
          pollIntervalMs: 20,
          leaseMarginMs: 1_000,
          retrySchedule: TEST_RETRY_SCHEDULE,
          circuit: { failureThreshold: 1000, openMs: 50, maxOpenMs: 200 },
          ...this.options,
        }),
      ],
      entities: NOTIFICATIONS_ENTITIES,
      migrations: NOTIFICATIONS_MIGRATIONS,
    });
    await app.listen(0, '127.0.0.1');
    this.baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    this.app = app;
  }

  query<T = JsonBody>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.app!.get(DataSource).query(sql, parameters) as Promise<T[]>;
  }

  /** What this service's relay has sent to `topic`: its outbox keeps nothing it sent. */
  published(topic: string): Promise<PublishedEvent[]> {
    const kafka = new KafkaConnection({
      clientId: 'it-notifications-published',
      brokers: testInfrastructure().kafkaBrokers,
    });
    return publishedEvents(this.app!.get(DataSource), kafka, topic);
  }

  async call(
    method: string,
    path: string,
    options: { ods?: string; role?: Role; body?: unknown; idempotencyKey?: string } = {},
  ): Promise<{ status: number; body: JsonBody }> {
    const bearer = await token(options.role ?? 'hospital-system', options.ods ?? 'RXH01');
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' ? { 'idempotency-key': options.idempotencyKey ?? randomUUID() } : {}),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as JsonBody) };
  }

  async subscribe(
    ods: string,
    url: string,
    eventTypes: string[] = ['recall.match.found', 'recall.issued'],
  ): Promise<{ id: string; secret: string }> {
    const created = await this.call('POST', '/v1/subscriptions', {
      ods,
      body: { url, eventTypes },
    });
    if (created.status !== 201) throw new Error(`subscribe: ${JSON.stringify(created)}`);
    return { id: created.body['id'], secret: created.body['secret'] };
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  async drop(): Promise<void> {
    await this.stop();
    await dropSchema(this.schema);
  }
}

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: JsonBody;
  /** Which of the receiver's secrets verified the request (standardwebhooks). */
  verifiedBy: string[];
}

export type ReceiverAnswer = { status: number; headers?: Record<string, string> } | { hang: true };

/**
 * A hospital's endpoint on loopback: verifies every request with the standardwebhooks package
 * against each secret it holds, records it, and answers as the test decides.
 */
export class Receiver {
  readonly received: ReceivedWebhook[] = [];
  secrets: string[] = [];
  answer: (request: ReceivedWebhook, index: number) => ReceiverAnswer = () => ({ status: 204 });
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();
  url = '';

  async start(port = 0): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** Deliveries that verified and were answered 2xx, by webhook id. */
  accepted(): ReceivedWebhook[] {
    return this.received.filter((r) => r.verifiedBy.length > 0);
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(request.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
    };
    const verifiedBy = this.secrets.filter((candidate) => {
      try {
        new Webhook(candidate).verify(raw, headers);
        return true;
      } catch {
        return false;
      }
    });
    const received: ReceivedWebhook = {
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
      body: JSON.parse(raw) as JsonBody,
      verifiedBy,
    };
    const index = this.received.length;
    this.received.push(received);
    if (verifiedBy.length === 0) {
      response.writeHead(401).end();
      return;
    }
    const answer = this.answer(received, index);
    if ('hang' in answer) {
      this.hanging.add(response);
      return;
    }
    response.writeHead(answer.status, answer.headers ?? {}).end();
  }
}
