import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Socket } from 'node:net';
import { Agent, buildConnector, request } from 'undici';

import type { AttemptResult } from '@implant-trace/notifications-domain';
import { parseRetryAfter } from '@implant-trace/notifications-domain';

import { NOTIFICATIONS_OPTIONS, type NotificationsOptions } from '../notifications.options';
import {
  EndpointAddressChecker,
  EndpointRefusedError,
} from '../subscriptions/endpoint-address.checker';

export interface WebhookRequest {
  url: string;
  webhookId: string;
  timestamp: Date;
  signature: string;
  body: string;
}

/** What an endpoint may send back that we read; the rest of its answer is discarded. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Sends one webhook with undici. The connector resolves names through the URL policy and
 * checks the address the socket actually reached, so a name re-pointed at an internal host
 * after registration is refused at send time; the whole request is bounded by the timeout.
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  private readonly agent: Agent;

  constructor(
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    @Inject(EndpointAddressChecker) private readonly addresses: EndpointAddressChecker,
  ) {
    const connectTimeout = options.webhookTimeoutMs;
    const base = buildConnector({ timeout: connectTimeout, lookup: addresses.guardedLookup() });
    const connect: buildConnector.connector = (connectOptions, callback) => {
      base(connectOptions, (error, socket) => {
        if (error !== null) return callback(error, null);
        const reached = (socket as Socket).remoteAddress ?? '';
        const decision = this.addresses.decide(reached);
        if (!decision.allowed) {
          socket.destroy();
          return callback(new EndpointRefusedError(decision.reason), null);
        }
        return callback(null, socket);
      });
    };
    this.agent = new Agent({
      connect,
      headersTimeout: options.webhookTimeoutMs,
      bodyTimeout: options.webhookTimeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  async send(webhook: WebhookRequest): Promise<AttemptResult> {
    const timeoutMs = this.options.webhookTimeoutMs;
    try {
      const response = await request(webhook.url, {
        method: 'POST',
        dispatcher: this.agent,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'implant-trace-notifications/1',
          'webhook-id': webhook.webhookId,
          'webhook-timestamp': String(Math.floor(webhook.timestamp.getTime() / 1000)),
          'webhook-signature': webhook.signature,
        },
        body: webhook.body,
      });
      await response.body.dump({ limit: MAX_RESPONSE_BYTES });
      const retryAfterHeader = response.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(
        Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader,
        new Date(),
      );
      return {
        kind: 'response',
        status: response.statusCode,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    } catch (error) {
      return { kind: 'error', message: describeSendError(error, timeoutMs) };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.destroy();
  }
}

function describeSendError(error: unknown, timeoutMs: number): string {
  // The abort signal's reason is a DOMException, which is not always an Error instance.
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  const code = (error as { code?: string }).code;
  return `${code === undefined ? error.name : code} ${error.message}${detail}`.slice(0, 1000);
}
