import { createClient } from 'redis';

type RedisClient = ReturnType<typeof createClient>;

/**
 * The service's Redis client. `multi` is left out on purpose: node-redis 5 queues a MULTI
 * while reconnecting and gives it no command timeout, so one would wait for ever on a Redis
 * that is down. An atomic multi-step update is a script (`eval`), which is bounded.
 */
export type RedisConnection = RedisClient & { multi: never; MULTI: never };

export interface RedisConnectionOptions {
  clientName?: string;
  /** The longest any command may wait for its answer before it fails. */
  commandTimeoutMs: number;
}

/** A Redis call that got no answer in time (Redis hung, or the network to it). */
export class RedisTimeoutError extends Error {
  override readonly name = 'RedisTimeoutError';
}

/**
 * The service's Redis client. Redis holds only rebuildable hot data (lookups, locks, rate
 * limits), so a failing cache must surface as an error the caller decides about (fail open,
 * `UNVERIFIED`, readiness), never as a request that hangs: commands are refused at once
 * while the client is (re)connecting (no offline queue), and every call fails after
 * `commandTimeoutMs` when Redis does not answer. Nor does a Redis that is down stop the
 * service starting: this waits for the first connection only as long as a connection
 * attempt may take, then leaves the client connecting in the background.
 */
export async function connectRedis(
  url: string,
  options: RedisConnectionOptions,
): Promise<RedisConnection> {
  const connectTimeoutMs = Math.max(options.commandTimeoutMs, 1_000);
  const client = createClient({
    url,
    ...(options.clientName === undefined ? {} : { name: options.clientName }),
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000),
    },
  });
  client.on('error', () => undefined);
  await raceDeadline(client.connect(), connectTimeoutMs, 'connect').catch(() => undefined);
  return withDeadlines(client, options.commandTimeoutMs);
}

/**
 * The client with a deadline on every call that returns a promise. node-redis's own command
 * `timeout` stops counting once the command is written to the socket, so a server that
 * accepted the command and then hung would keep the caller waiting for ever.
 */
function withDeadlines(client: RedisClient, timeoutMs: number): RedisConnection {
  const bounded = new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? raceDeadline(result, timeoutMs, property) : result;
      };
    },
  });
  return bounded as RedisConnection;
}

async function raceDeadline<T>(call: Promise<T>, timeoutMs: number, name: PropertyKey): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new RedisTimeoutError(`Redis ${String(name)} got no answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Key convention: `<service>:<kind>:<id...>`, so services never collide on one Redis. */
export function cacheKey(service: string, kind: string, ...ids: string[]): string {
  for (const part of [service, kind, ...ids]) {
    if (part === '' || part.includes(':')) throw new Error(`invalid cache key part "${part}"`);
  }
  return [service, kind, ...ids].join(':');
}
