import 'reflect-metadata';

import { EVENTS } from '@implant-trace/contracts';
import { createSchemaDataSource, DatabaseModule } from '@implant-trace/platform-database';
import {
  ObservabilityModule,
  PlatformMetrics,
  ReadinessRegistry,
} from '@implant-trace/platform-observability';
import { testInfrastructure, uniqueName, waitFor } from '@implant-trace/platform-testing';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';

import { MessagingTestBed } from '../test-support/messaging-test-bed';
import { EventPublisher } from './outbox/event-publisher';
import { EventConsumerFactory, MessagingModule } from './messaging.module';
import { MESSAGING_MIGRATIONS } from './messaging-tables.migration';

describe('MessagingModule in a Nest application', () => {
  const schema = uniqueName('it_messaging_module');
  const topic = { name: uniqueName('it.module'), key: 'implantId', partitions: 2, config: {} };
  const event = { ...EVENTS.implantExplantedV1, topic };
  const bed = new MessagingTestBed();

  it('provisions its topics, relays the outbox, runs consumers and reports broker readiness', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ObservabilityModule,
        DatabaseModule.forRoot({
          url: testInfrastructure().databaseUrl,
          schema,
          migrations: MESSAGING_MIGRATIONS,
          migrate: true,
        }),
        MessagingModule.forRoot({
          serviceName: 'it-module',
          kafka: { kafkaBrokers: testInfrastructure().kafkaBrokers, kafkaSsl: false },
          ownedTopics: [topic],
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const applied: string[] = [];
    app
      .get(EventConsumerFactory)
      .create({ groupId: uniqueName('it-module-group'), topics: [topic] })
      .on(event, async (envelope) => {
        applied.push(envelope.data.implantId);
      });
    await app.init();
    try {
      const dataSource = app.get(DataSource);
      const payload = bed.payload();
      await dataSource.transaction((tx) => app.get(EventPublisher).publish(tx, event, payload));
      await waitFor(() => applied.includes(payload.implantId), { description: 'the event' });
      const report = await app.get(ReadinessRegistry).report();
      expect(report.checks['broker']).toEqual({ status: 'up' });
      const metrics = await app.get(PlatformMetrics).registry.metrics();
      expect(metrics).toContain('# TYPE outbox_parked_rows gauge');
    } finally {
      await app.close();
      const cleanup = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
      await cleanup.initialize();
      await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await cleanup.destroy();
    }
  });
});
