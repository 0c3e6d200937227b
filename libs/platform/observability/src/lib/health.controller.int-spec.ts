import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { HealthController } from './health.controller';
import { PlatformMetrics } from './metrics.registry';
import { ObservabilityModule } from './observability.module';
import { ReadinessRegistry } from './readiness.registry';

describe('/health and /metrics over HTTP', () => {
  let app: INestApplication;
  let baseUrl: string;
  let brokerUp = true;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule],
      controllers: [HealthController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.get(ReadinessRegistry).register('database', async () => undefined);
    // What the messaging library does: register its own check and report consumer lag.
    app.get(ReadinessRegistry).register('broker', async () => {
      if (!brokerUp) throw new Error('no broker connection');
    });
    app.get(PlatformMetrics).setConsumerLag('recall-matching', 'implant-events.implants.v1', 0, 42);
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  it('is ready while every registered dependency is up, 503 naming the one that is down', async () => {
    const ready = await fetch(`${baseUrl}/health`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ok',
      checks: { database: { status: 'up' }, broker: { status: 'up' } },
    });
    brokerUp = false;
    const unready = await fetch(`${baseUrl}/health`);
    expect(unready.status).toBe(503);
    expect(await unready.json()).toEqual({
      status: 'unavailable',
      checks: {
        database: { status: 'up' },
        broker: { status: 'down', error: 'no broker connection' },
      },
    });
  });

  it('stays ready (200) but says degraded, with the details, while a check reports degradation', async () => {
    brokerUp = true;
    const pausedPartitions = [{ group: 'recall-matching', topic: 'implants', partition: 2 }];
    app
      .get(ReadinessRegistry)
      .register('consumers', async () => ({ degraded: { pausedPartitions } }));
    const degraded = await fetch(`${baseUrl}/health`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({
      status: 'degraded',
      checks: {
        database: { status: 'up' },
        broker: { status: 'up' },
        consumers: { status: 'degraded', details: { pausedPartitions } },
      },
    });
  });

  it('exposes consumer lag set by another library in Prometheus text', async () => {
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toContain(
      'kafka_consumer_lag_messages{group="recall-matching",topic="implant-events.implants.v1",partition="0"} 42',
    );
  });
});
