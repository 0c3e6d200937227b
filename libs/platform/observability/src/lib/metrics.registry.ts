import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The service's Prometheus metrics; libraries record into it rather than keep their own. */
@Injectable()
export class PlatformMetrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge({
    name: 'kafka_consumer_lag_messages',
    help: 'Messages between a consumer group committed offset and the partition end',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequestDuration.observe({ method, route, status: String(status) }, seconds);
  }

  setConsumerLag(group: string, topic: string, partition: number, lag: number): void {
    this.consumerLag.set({ group, topic, partition: String(partition) }, lag);
  }
}
