/** The service under test and a stand-in for its upstream publishers, for the integration tests. */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import type {
  DeviceRecordValue,
  EVENTS,
  ImplantRecordedV1,
  UdiValue,
} from '@implant-trace/contracts';
import { DEVICES_TOPIC, IMPLANTS_TOPIC, ACKNOWLEDGEMENTS_TOPIC } from '@implant-trace/contracts';
import type { Clock } from '@implant-trace/domain-kernel';
import { testNhsNumber } from '@implant-trace/identifiers';
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
  type PublishOptions,
  keepOutboxCopies,
  reinsertOutboxCopies,
  untilOutboxEmpty,
  type OutboxRowCopy,
} from '@implant-trace/platform-messaging';
import {
  testInfrastructure,
  testServiceConfig,
  uniqueName,
  waitFor,
  freshGtin,
  freshOds,
  dropTestSchema as dropSchema,
} from '@implant-trace/platform-testing';

import {
  RECALL_MATCHING_ENTITIES,
  RECALL_MATCHING_MIGRATIONS,
  RecallMatchingModule,
} from '../lib/recall-matching.module';

export { freshGtin, freshOds, dropSchema };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answers as loose JSON
export type JsonBody = Record<string, any>;

export const secret = 'integration-test-secret-of-at-least-32-chars';

/** A clock the test moves: event times and deadlines are read from it. */
export class TestClock implements Clock {
  constructor(public current = new Date('2026-12-01T09:00:00Z')) {}

  now(): Date {
    return this.current;
  }
}

export function deviceRecord(gtins: string[], overrides: Partial<DeviceRecordValue> = {}) {
  return {
    deviceId: randomUUID(),
    revision: 1,
    identifiers: gtins.map((deviceIdentifier, index) => ({
      deviceIdentifier,
      issuingAgency: 'GS1' as const,
      type: index === 0 ? ('primary' as const) : ('package' as const),
    })),
    manufacturer: 'Acme Orthopaedics',
    brand: 'Acme Hip',
    model: `AH-${randomInt(10 ** 6)}`,
    catalogNumber: `REF-${randomInt(10 ** 6)}`,
    implantable: true,
    mriSafety: 'conditional' as const,
    labelCarries: {
      lotNumber: true,
      serialNumber: true,
      expirationDate: true,
      manufactureDate: false,
    },
    status: 'on-market' as const,
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  } satisfies DeviceRecordValue;
}

let patientSeed = randomInt(0, 800_000);

export function implantRecorded(
  udi: Omit<UdiValue, 'format' | 'issuingAgency'>,
  overrides: Partial<ImplantRecordedV1> = {},
): ImplantRecordedV1 {
  return {
    implantId: randomUUID(),
    hospitalOds: 'RXH01',
    patient: { nhsNumber: testNhsNumber(patientSeed++) },
    udi: { format: 'gs1', issuingAgency: 'GS1', ...udi },
    entryMethod: 'barcode',
    implantedAt: '2026-11-20T10:00:00.000Z',
    recordedBy: 'theatre-nurse',
    reviewFlags: [],
    ...overrides,
  };
}

export const token = (role: Role, ods?: string) =>
  mintDevelopmentToken({
    secret,
    role,
    ...(ods === undefined ? {} : { ods }),
    issuer: 'implant-trace-dev',
    audience: 'implant-trace',
  });

type AnyEvent = (typeof EVENTS)[keyof typeof EVENTS];
export type UpstreamEvent = [definition: AnyEvent, payload: object, options?: PublishOptions];

/**
 * Stands in for device-registry, implant-events and notifications: publishes their events
 * through an outbox of its own schema. An event given its first id again is a redelivery.
 */
export class Upstream {
  private app: INestApplication | undefined;
  readonly schema = uniqueName('it_rm_upstream');
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
          ownedTopics: [DEVICES_TOPIC, IMPLANTS_TOPIC, ACKNOWLEDGEMENTS_TOPIC],
        }),
      ],
    }).compile();
    this.app = moduleRef.createNestApplication({ logger: false });
    await this.app.init();
  }

  /** Resolves once the relay has sent every event given; returns their ids. */
  async publish(...events: UpstreamEvent[]): Promise<string[]> {
    const app = this.app!;
    const dataSource = app.get(DataSource);
    const ids = await dataSource.transaction(async (tx) => {
      const published: string[] = [];
      for (const [definition, payload, options] of events) {
        published.push(
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test's mixed events
          await app.get(EventPublisher).publish(tx, definition as any, payload, options),
        );
      }
      await keepOutboxCopies(tx, published, this.sent);
      return published;
    });
    await this.untilSent();
    return ids;
  }

  /** Sends events already sent once more, as Kafka redelivers: the same message, same id. */
  async redeliver(...eventIds: string[]): Promise<void> {
    await reinsertOutboxCopies(this.app!.get(DataSource), eventIds, this.sent);
    await this.untilSent();
  }

  private untilSent(): Promise<void> {
    return untilOutboxEmpty(this.app!.get(DataSource), 'the upstream relay to send its events');
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await dropSchema(this.schema);
  }
}

export class RecallMatchingTestConfig extends ServiceConfigBase {
  readonly serviceName = 'recall-matching';
  override port = 3003;
}

/** One instance of the service in a schema and consumer group of its own. */
export class Service {
  app: INestApplication | undefined;
  baseUrl = '';
  readonly schema = uniqueName('it_recall_matching');
  readonly groupId = uniqueName('it-recall-matching');

  constructor(readonly clock = new TestClock()) {}

  async start(): Promise<void> {
    const config = testServiceConfig(RecallMatchingTestConfig, {
      schema: this.schema,
      jwtSecret: secret,
    });
    config.databaseSchema = this.schema;
    const app = await createServiceApp({
      config,
      imports: [
        RecallMatchingModule.forRoot({
          serviceName: config.serviceName,
          kafka: config,
          // The tests read what the service committed to its outbox, which the relay would delete.
          runRelay: false,
          consumerGroupId: this.groupId,
          clock: this.clock,
        }),
      ],
      entities: RECALL_MATCHING_ENTITIES,
      migrations: RECALL_MATCHING_MIGRATIONS,
    });
    await app.listen(0, '127.0.0.1');
    this.baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    this.app = app;
  }

  /** Until the consumer group has applied everything on the topics it consumes. */
  async untilCaughtUp(): Promise<void> {
    const admin = this.app!.get(KafkaConnection).admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          for (const topic of [
            DEVICES_TOPIC.name,
            IMPLANTS_TOPIC.name,
            ACKNOWLEDGEMENTS_TOPIC.name,
          ]) {
            const ends = await admin.fetchTopicOffsets(topic);
            const [group] = await admin.fetchOffsets({ groupId: this.groupId, topics: [topic] });
            const committed = new Map(group?.partitions.map((p) => [p.partition, p.offset]) ?? []);
            for (const end of ends) {
              const offset = committed.get(end.partition) ?? '-1';
              const empty = end.high === end.low;
              if (!(offset === end.high || (empty && offset === '-1'))) return false;
            }
          }
          return true;
        },
        { timeoutMs: 60_000, description: 'the projection and the replica to catch up' },
      );
    } finally {
      await admin.disconnect();
    }
  }

  query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.app!.get(DataSource).query(sql, parameters) as Promise<T[]>;
  }

  /** The match events this service has committed to publish, oldest first. */
  async matchEvents(recallId: string): Promise<{ type: string; payload: JsonBody }[]> {
    const rows = await this.query<{ event_type: string; payload: string }>(
      `SELECT event_type, payload FROM outbox
       WHERE topic = 'recall-matching.matches.v1' AND payload::jsonb ->> 'recallId' = $1
       ORDER BY id`,
      [recallId],
    );
    return rows.map((row) => ({
      type: row.event_type,
      payload: JSON.parse(row.payload) as JsonBody,
    }));
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    options: { bearer?: string; idempotencyKey?: string; contentType?: string } = {},
  ): Promise<{ status: number; body: JsonBody }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.bearer ?? (await token('regulator'))}`,
        ...(body === undefined
          ? {}
          : { 'content-type': options.contentType ?? 'application/json' }),
        ...(method === 'POST' ? { 'idempotency-key': options.idempotencyKey ?? randomUUID() } : {}),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as JsonBody };
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
