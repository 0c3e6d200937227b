import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';

import type { OutboxRepository } from './outbox.repository';

/**
 * The outbox's Prometheus metrics, registered into the service's registry. The parked and
 * blocked gauges are read from the table at scrape time, so every relay instance reports the
 * same truth and a row re-sent by an operator leaves them at once.
 */
export class OutboxMetrics {
  readonly parkedTotal: Counter<'topic' | 'cause'>;
  readonly laneLostTotal: Counter;
  readonly unacknowledgedTotal: Counter<'topic'>;
  readonly sendDeadlineExceededTotal: Counter;
  readonly parkedRows: Gauge<'topic'>;
  readonly blockedKeys: Gauge<'topic'>;

  constructor(registry: Registry, outbox: OutboxRepository) {
    this.parkedTotal = new Counter({
      name: 'outbox_rows_parked_total',
      help: 'Outbox rows this relay parked: refused by the broker, or failed too often',
      labelNames: ['topic', 'cause'] as const,
      registers: [registry],
    });
    this.laneLostTotal = new Counter({
      name: 'outbox_lane_lost_total',
      help: 'Batches sent whose lane PostgreSQL ended before they were committed (a frozen relay); another relay sends them again',
      registers: [registry],
    });
    this.unacknowledgedTotal = new Counter({
      name: 'outbox_partitions_unacknowledged_total',
      help: "Partitions of a sent batch the broker's answer left out (a kafkajs retry that skipped them); the relay sent them again",
      labelNames: ['topic'] as const,
      registers: [registry],
    });
    this.sendDeadlineExceededTotal = new Counter({
      name: 'outbox_send_deadline_exceeded_total',
      help: 'Batch sends that did not settle within the relay deadline; their unsent rows were given back and sent again by a new producer',
      registers: [registry],
    });
    this.parkedRows = new Gauge({
      name: 'outbox_parked_rows',
      help: 'Parked outbox rows waiting for an operator (npm run messaging:replay -- parked)',
      labelNames: ['topic'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of await outbox.parkedSummary()) this.set({ topic: s.topic }, s.parkedRows);
      },
    });
    this.blockedKeys = new Gauge({
      name: 'outbox_blocked_keys',
      help: 'Message keys whose later outbox rows wait behind a parked row',
      labelNames: ['topic'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of await outbox.parkedSummary()) this.set({ topic: s.topic }, s.blockedKeys);
      },
    });
  }
}
