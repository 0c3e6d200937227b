import { randomUUID } from 'node:crypto';

import type { INestApplication } from '@nestjs/common';
import { Controller, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';

import type { ImplantExplantedV1 } from '@implant-trace/contracts';
import { EVENTS, IMPLANTS_TOPIC } from '@implant-trace/contracts';
import { uuidV7 } from '@implant-trace/identifiers';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import {
  InboxEventContext,
  KafkaConnection,
  MESSAGING_MIGRATIONS,
  MessagingModule,
} from '@implant-trace/platform-messaging';
import {
  ProbeServiceConfig,
  testServiceConfig,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';

import { createServiceApp } from './service-app.factory';

const schema = uniqueName('it_http_consumers');
const groupId = uniqueName('it-http-consumers');
const failing = new Set<string>();

class CreateExplantEffects1767225600900 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE explant_effects (implant_id uuid NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE explant_effects`);
  }
}

@Controller()
class ExplantConsumer {
  @EventPattern(EVENTS.implantExplantedV1.type)
  async onExplanted(
    @Payload() payload: ImplantExplantedV1,
    @Ctx() context: InboxEventContext,
  ): Promise<void> {
    await context
      .getTransaction()
      .query(`INSERT INTO explant_effects (implant_id) VALUES ($1)`, [payload.implantId]);
    if (failing.has(payload.implantId)) throw new TypeError('a bug in the handler');
  }
}

describe('a service built with createServiceApp runs its @EventPattern consumers', () => {
  const config = testServiceConfig(ProbeServiceConfig, {
    schema,
    jwtSecret: 'integration-test-secret-of-at-least-32-chars',
  });
  let app: INestApplication;
  let baseUrl: string;
  let raw: ReturnType<KafkaConnection['idempotentProducer']>;

  @Module({
    imports: [
      MessagingModule.forRoot({
        serviceName: 'it-http-consumers',
        kafka: config,
        ownedTopics: [IMPLANTS_TOPIC],
        runRelay: false,
        consumerGroupId: groupId,
      }),
    ],
    controllers: [ExplantConsumer],
  })
  class ConsumerModule {}

  beforeAll(async () => {
    app = await createServiceApp({
      config,
      imports: [ConsumerModule],
      migrations: [...MESSAGING_MIGRATIONS, CreateExplantEffects1767225600900],
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    raw = app.get(KafkaConnection).idempotentProducer();
    await raw.connect();
  });

  afterAll(async () => {
    await raw.disconnect();
    await app.close();
    const cleanup = createSchemaDataSource({ url: config.databaseUrl, schema });
    await cleanup.initialize();
    await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await cleanup.destroy();
  });

  async function effectsOf(implantId: string): Promise<number> {
    const [row] = (await app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM explant_effects WHERE implant_id = $1`, [
        implantId,
      ])) as [{ n: number }];
    return row.n;
  }

  async function health(): Promise<{ code: number; body: Record<string, unknown> }> {
    const response = await fetch(`${baseUrl}/health`);
    return { code: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('says degraded on /health and /metrics while a handler keeps failing, and applies the event once it recovers', async () => {
    const implantId = uuidV7();
    failing.add(implantId);
    const payload: ImplantExplantedV1 = {
      implantId,
      hospitalOds: 'RXH01',
      explantedAt: new Date().toISOString(),
      recordedBy: 'it-http',
    };
    await raw.send({
      topic: IMPLANTS_TOPIC.name,
      acks: -1,
      messages: [
        {
          key: implantId,
          value: JSON.stringify(payload),
          headers: {
            ce_id: randomUUID(),
            ce_type: EVENTS.implantExplantedV1.type,
            ce_source: 'it',
            ce_time: new Date().toISOString(),
            ce_specversion: '1.0',
            ce_subject: implantId,
          },
        },
      ],
    });

    const degraded = await waitFor(
      async () => {
        const answer = await health();
        return answer.body['status'] === 'degraded' ? answer : false;
      },
      { description: '/health to say degraded' },
    );
    expect(degraded.code).toBe(200);
    expect(degraded.body['checks']).toMatchObject({
      database: { status: 'up' },
      broker: { status: 'up' },
      consumers: {
        status: 'degraded',
        details: {
          pausedPartitions: [
            {
              group: groupId,
              topic: IMPLANTS_TOPIC.name,
              error: 'TypeError',
              offset: expect.any(String),
            },
          ],
        },
      },
    });
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`^kafka_consumer_partition_paused\\{group="${groupId}",[^}]*\\} 1$`, 'm'),
    );
    expect(await effectsOf(implantId)).toBe(0);

    failing.delete(implantId);
    await waitFor(async () => (await effectsOf(implantId)) === 1, {
      description: 'the event to apply once the handler recovers',
    });
    await waitFor(async () => (await health()).body['status'] === 'ok', {
      description: '/health to say ok again',
    });
    expect(await effectsOf(implantId)).toBe(1);
  });
});
