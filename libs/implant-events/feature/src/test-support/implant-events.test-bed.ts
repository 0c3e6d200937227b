/** The service under test and a stand-in for its upstream publishers, for the integration tests. */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import type { DeviceRecordValue, RecallIssuedV1 } from '@implant-trace/contracts';
import type { EVENTS } from '@implant-trace/contracts';
import { DEVICES_TOPIC, RECALLS_TOPIC } from '@implant-trace/contracts';
import type { Clock } from '@implant-trace/domain-kernel';
import type { Role } from '@implant-trace/platform-auth';
import { mintDevelopmentToken } from '@implant-trace/platform-auth';
import type { Environment } from '@implant-trace/platform-config';
import { ServiceConfigBase } from '@implant-trace/platform-config';
import { DatabaseModule } from '@implant-trace/platform-database';
import { createServiceApp } from '@implant-trace/platform-http';
import {
  CatchUpTracker,
  EventPublisher,
  MESSAGING_MIGRATIONS,
  MessagingModule,
  untilOutboxEmpty,
} from '@implant-trace/platform-messaging';
import {
  testInfrastructure,
  testServiceConfig,
  uniqueName,
  waitFor,
  freshGtin,
  dropTestSchema as dropSchema,
} from '@implant-trace/platform-testing';

import {
  IMPLANT_EVENTS_ENTITIES,
  IMPLANT_EVENTS_MIGRATIONS,
  ImplantEventsModule,
} from '../lib/implant-events.module';
import type { ImplantEventsOptions } from '../lib/implant-events.options';

export { freshGtin, dropSchema };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answers as loose JSON
export type JsonBody = Record<string, any>;

export const secret = 'integration-test-secret-of-at-least-32-chars';
/** 2026-12-01 in London: labels expiring 2026-11-30 are expired, 2026-12-01 still usable. */
export const clock: Clock = { now: () => new Date('2026-12-01T09:00:00Z') };

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
    model: 'AH-1',
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

export function recallOf(deviceIdentifiers: string[], lotNumbers?: string[]): RecallIssuedV1 {
  return {
    recallId: randomUUID(),
    title: 'Liner wear',
    reason: 'Early wear of the liner',
    class: 'II',
    criteria: { deviceIdentifiers, ...(lotNumbers === undefined ? {} : { lotNumbers }) },
    status: 'open',
    issuedAt: new Date().toISOString(),
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

/**
 * Stands in for device-registry and recall-matching: publishes their events through an outbox
 * of its own schema, so events reach the topics whether or not the service under test runs.
 */
export class Upstream {
  private app: INestApplication | undefined;
  readonly schema = uniqueName('it_ie_upstream');

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
          ownedTopics: [DEVICES_TOPIC, RECALLS_TOPIC],
        }),
      ],
    }).compile();
    this.app = moduleRef.createNestApplication({ logger: false });
    await this.app.init();
  }

  /** Resolves once the relay has sent every event given. */
  async publish(
    ...events: [definition: (typeof EVENTS)[keyof typeof EVENTS], payload: object][]
  ): Promise<void> {
    const app = this.app!;
    const dataSource = app.get(DataSource);
    await dataSource.transaction(async (tx) => {
      for (const [definition, payload] of events) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test's mixed events
        await app.get(EventPublisher).publish(tx, definition as any, payload);
      }
    });
    await untilOutboxEmpty(dataSource, 'the upstream relay to send its events');
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await dropSchema(this.schema);
  }
}

export class ImplantEventsTestConfig extends ServiceConfigBase {
  readonly serviceName = 'implant-events';
  override port = 3002;
}

/** One instance of the service: its schema and consumer group survive a restart. */
export class Service {
  app: INestApplication | undefined;
  baseUrl = '';
  readonly schema = uniqueName('it_implant_events');
  readonly groupId = uniqueName('it-implant-events');

  /** `options`: module options beyond the bed's own (a deployment's NHS number policy). */
  constructor(
    public overrides: Environment = {},
    private readonly options: Pick<ImplantEventsOptions, 'nhsNumberPolicy'> = {},
  ) {}

  async start(): Promise<void> {
    const config = testServiceConfig(ImplantEventsTestConfig, {
      schema: this.schema,
      jwtSecret: secret,
      overrides: this.overrides,
    });
    config.databaseSchema = this.schema;
    const app = await createServiceApp({
      config,
      imports: [
        ImplantEventsModule.forRoot({
          serviceName: config.serviceName,
          kafka: config,
          // The tests read what the service committed to its outbox, which the relay would delete.
          runRelay: false,
          consumerGroupId: this.groupId,
          redisUrl: config.redisUrl,
          cacheScope: this.schema,
          redisCommandTimeoutMs: config.redisCommandTimeoutMs,
          clock,
          ...this.options,
        }),
      ],
      entities: IMPLANT_EVENTS_ENTITIES,
      migrations: IMPLANT_EVENTS_MIGRATIONS,
    });
    await app.listen(0, '127.0.0.1');
    this.baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    this.app = app;
  }

  async untilCaughtUp(): Promise<void> {
    const tracker = this.app!.get(CatchUpTracker);
    await waitFor(() => tracker.doubts().length === 0, {
      timeoutMs: 60_000,
      description: 'the replica and the index to catch up',
    });
  }

  async scan(body: unknown, bearer?: string): Promise<{ status: number; body: JsonBody }> {
    const response = await fetch(`${this.baseUrl}/v1/scans/check`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bearer ?? (await token('theatre', 'RXH01'))}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as JsonBody };
  }

  async get(path: string, bearer?: string): Promise<{ status: number; body: JsonBody }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${bearer ?? (await token('theatre', 'RXH01'))}` },
    });
    return { status: response.status, body: (await response.json()) as JsonBody };
  }

  async post(
    path: string,
    body: unknown,
    options: { bearer?: string; idempotencyKey?: string } = {},
  ): Promise<{ status: number; body: JsonBody }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.bearer ?? (await token('theatre', 'RXH01'))}`,
        'content-type': 'application/json',
        'idempotency-key': options.idempotencyKey ?? randomUUID(),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as JsonBody };
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

/**
 * Registers the hooks that start the upstream with `events` already published, then the
 * service, caught up with them; and that drop both afterwards.
 */
export function withCaughtUpService(
  upstream: Upstream,
  service: Service,
  events: () => Parameters<Upstream['publish']>,
): void {
  beforeAll(async () => {
    await upstream.start();
    await upstream.publish(...events());
    await service.start();
    await service.untilCaughtUp();
  });

  afterAll(async () => {
    await service.drop();
    await upstream.stop();
  });
}
