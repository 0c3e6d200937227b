import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';

import type { EventDefinition } from '@implant-trace/contracts';
import { MATCHES_TOPIC, RECALLS_TOPIC } from '@implant-trace/contracts';
import { createSchemaDataSource, DatabaseModule } from '@implant-trace/platform-database';
import {
  EventPublisher,
  MESSAGING_MIGRATIONS,
  MessagingModule,
  untilOutboxEmpty,
} from '@implant-trace/platform-messaging';
import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';

/**
 * Stands in for recall-matching until the notifications spec is connected to it: publishes
 * recalls and their matches through the platform's outbox and relay onto
 * `recall-matching.recalls.v1` and `recall-matching.matches.v1`, as their owner would.
 */
export class MatchPublisher {
  private context: INestApplicationContext | undefined;
  private readonly schema = uniqueName('e2e_match_publisher');

  constructor(private readonly brokers: string[] = testInfrastructure().kafkaBrokers) {}

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
          serviceName: 'e2e-recall-matching',
          kafka: { kafkaBrokers: this.brokers, kafkaSsl: false },
          ownedTopics: [RECALLS_TOPIC, MATCHES_TOPIC],
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    this.context = app;
  }

  /** Resolves once the relay has sent every event given; answers their event ids. */
  async publish<P extends object>(
    definition: EventDefinition<P>,
    ...payloads: P[]
  ): Promise<string[]> {
    const context = this.context;
    if (context === undefined) throw new Error('MatchPublisher.start() was not awaited');
    const dataSource = context.get(DataSource);
    const ids = await dataSource.transaction(async (tx) => {
      const published: string[] = [];
      for (const payload of payloads) {
        published.push(await context.get(EventPublisher).publish(tx, definition, payload));
      }
      return published;
    });
    await untilOutboxEmpty(dataSource, 'the relay to send the events');
    return ids;
  }

  async stop(): Promise<void> {
    await this.context?.close();
    const cleanup = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema: this.schema,
    });
    await cleanup.initialize();
    await cleanup.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await cleanup.destroy();
  }
}
