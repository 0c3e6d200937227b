import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import type { Clock } from '@implant-trace/domain-kernel';
import {
  circuitOpenUntil,
  decideAfterAttempt,
  DEFAULT_CIRCUIT_POLICY,
  DEFAULT_RETRY_SCHEDULE,
} from '@implant-trace/notifications-domain';

import {
  NOTIFICATIONS_CLOCK,
  NOTIFICATIONS_OPTIONS,
  type NotificationsOptions,
} from '../notifications.options';
import { type ClaimedDelivery, DeliveryClaimsRepository } from './delivery-claims.repository';
import { signingSecretsAt, webhookSignature } from './webhook-signature.util';
import { WebhookSender } from './webhook.sender';

const DEFAULTS = {
  workerConcurrency: 64,
  perEndpointConcurrency: 4,
  pollIntervalMs: 500,
  leaseMarginMs: 30_000,
};

/**
 * Sends due deliveries with a bounded number in flight. Each endpoint gets at most its
 * allowance of those, so one that hangs ties up a few sends until the timeout, never the
 * worker; its failures open its circuit, and the claim skips it while others are served.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly workerId = `worker-${randomUUID()}`;
  private readonly logger = new Logger('DeliveryWorker');
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;

  constructor(
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
    @Inject(DeliveryClaimsRepository) private readonly claims: DeliveryClaimsRepository,
    @Inject(WebhookSender) private readonly sender: WebhookSender,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.runWorkers === false) return;
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async run(): Promise<void> {
    const concurrency = this.options.workerConcurrency ?? DEFAULTS.workerConcurrency;
    while (this.running) {
      const free = concurrency - this.inFlight.size;
      let claimed: ClaimedDelivery[] = [];
      if (free > 0) {
        try {
          claimed = await this.claims.claim({
            workerId: this.workerId,
            now: this.clock.now(),
            max: free,
            perEndpoint: this.options.perEndpointConcurrency ?? DEFAULTS.perEndpointConcurrency,
            leaseMs:
              this.options.webhookTimeoutMs +
              (this.options.leaseMarginMs ?? DEFAULTS.leaseMarginMs),
          });
        } catch (error) {
          this.logger.warn(`claiming deliveries failed: ${String(error)}`);
        }
      }
      for (const claim of claimed) {
        const sending: Promise<void> = this.deliver(claim).finally(() => {
          this.inFlight.delete(sending);
          this.wake?.();
        });
        this.inFlight.add(sending);
      }
      // A full claim means more may be due at once; otherwise wait for a send to end or a poll.
      if (claimed.length === 0 || claimed.length < free) await this.pause();
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs ?? DEFAULTS.pollIntervalMs);
      this.wake = done;
    });
  }

  private async deliver(claim: ClaimedDelivery): Promise<void> {
    try {
      const startedAt = this.clock.now();
      const secrets = signingSecretsAt(claim, startedAt);
      const started = performance.now();
      const result = await this.sender.send({
        url: claim.url,
        webhookId: claim.eventId,
        timestamp: startedAt,
        signature: webhookSignature(secrets, claim.eventId, startedAt, claim.body),
        body: claim.body,
      });
      const durationMs = Math.round(performance.now() - started);
      const decision = decideAfterAttempt(result, {
        attempts: claim.scheduleAttempt,
        now: this.clock.now(),
        schedule: this.options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
        random: this.options.random ?? Math.random,
      });
      const circuit = this.options.circuit ?? DEFAULT_CIRCUIT_POLICY;
      await this.claims.record(claim, this.workerId, {
        startedAt,
        durationMs,
        statusCode: result.kind === 'response' ? result.status : null,
        error:
          result.kind === 'error'
            ? result.message
            : result.status >= 200 && result.status < 300
              ? null
              : `HTTP ${result.status}`,
        decision,
        circuitOpenUntil: (failures) => circuitOpenUntil(failures, this.clock.now(), circuit),
      });
    } catch (error) {
      // The lease runs out and another claim retries it: never marked done without a 2xx.
      this.logger.warn(`delivery ${claim.deliveryId} left to its lease: ${String(error)}`);
    }
  }
}
