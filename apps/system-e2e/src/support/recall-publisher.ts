import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';

import type { RecallIssuedV1 } from '@implant-trace/contracts';
import { EVENTS, RECALLS_TOPIC } from '@implant-trace/contracts';
import { createSchemaDataSource, DatabaseModule } from '@implant-trace/platform-database';
import {
  EventPublisher,
  MESSAGING_MIGRATIONS,
  MessagingModule,
} from '@implant-trace/platform-messaging';
import { testInfrastructure, uniqueName, waitFor } from '@implant-trace/platform-testing';

/**
 * Publishes recalls the way recall-matching will, which does not exist yet: through the
 * platform's EventPublisher into an outbox of a schema of its own, and the outbox relay onto
 * `recall-matching.recalls.v1` (which it creates, as the topic's owner would).
 */
export class RecallPublisher {
  private context: INestApplicationContext | undefined;
  private readonly schema = uniqueName('e2e_recall_publisher');

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
          kafka: { kafkaBrokers: testInfrastructure().kafkaBrokers, kafkaSsl: false },
          ownedTopics: [RECALLS_TOPIC],
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    this.context = app;
  }

  /** Resolves once the relay has sent the recall to the topic. */
  async issue(recall: RecallIssuedV1): Promise<void> {
    const context = this.context;
    if (context === undefined) throw new Error('RecallPublisher.start() was not awaited');
    const dataSource = context.get(DataSource);
    await dataSource.transaction((tx) =>
      context.get(EventPublisher).publish(tx, EVENTS.recallIssuedV1, recall),
    );
    await waitFor(
      async () => {
        const [row] = (await dataSource.query(
          `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
        )) as [{ n: number }];
        return row.n === 0;
      },
      { description: 'the relay to send the recall' },
    );
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
