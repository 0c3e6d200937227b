import type { RateLimit } from './rate-limit.policy';
import type { RateLimiter } from './rate-limiter';

interface IncomingRequest {
  /** The client address as Express sees it (through trusted proxies only). */
  ip?: string;
  socket: { remoteAddress?: string };
}

/**
 * Per-client-address limit, applied before the body is parsed and the token verified, so a
 * flood without (or with forged) tokens is turned away cheaply. The per-token limit still
 * applies to verified callers.
 */
export function addressRateLimit(limiter: RateLimiter, limit: RateLimit) {
  return (request: IncomingRequest, _response: unknown, next: (error?: unknown) => void): void => {
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    limiter.enforce('address', address, limit, 'from this address').then(() => next(), next);
  };
}
