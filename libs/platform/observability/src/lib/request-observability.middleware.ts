import { randomUUID } from 'node:crypto';

import type { Logger as PinoLogger } from 'pino';

import type { PlatformMetrics } from './metrics.registry';
import { acceptableId, runWithRequestContext } from './request-context.util';

interface IncomingRequest {
  method: string;
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  route?: { path?: string };
  principal?: { sub: string; role: string; ods?: string };
}

interface OutgoingResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  on(event: 'finish', listener: () => void): unknown;
}

/**
 * First middleware of every service: assigns the request id (echoed as `x-request-id`),
 * carries the caller's correlation id, and on completion writes one access log line and the
 * latency histogram sample, labelled by route template so ids never become label values.
 */
export function requestObservability(logger: PinoLogger, metrics: PlatformMetrics) {
  return (request: IncomingRequest, response: OutgoingResponse, next: () => void): void => {
    const requestId = acceptableId(request.headers['x-request-id']) ?? randomUUID();
    const correlationId = acceptableId(request.headers['x-correlation-id']) ?? requestId;
    request.headers['x-request-id'] = requestId;
    response.setHeader('x-request-id', requestId);
    response.setHeader('x-correlation-id', correlationId);
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = request.route?.path ?? 'unmatched';
      metrics.recordHttpRequest(request.method, route, response.statusCode, seconds);
      logger.info(
        {
          requestId,
          correlationId,
          method: request.method,
          url: request.originalUrl,
          route,
          status: response.statusCode,
          durationMs: Math.round(seconds * 1000),
          sub: request.principal?.sub,
          role: request.principal?.role,
          ods: request.principal?.ods,
        },
        'request completed',
      );
    });
    runWithRequestContext({ requestId, correlationId }, next);
  };
}
