import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'up' | 'down'; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Named readiness checks (database, cache, broker...). Libraries register their own, e.g. the
 * messaging library registers `broker`; `/health` runs them all.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runCheck(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    const status = entries.every(([, result]) => result.status === 'up') ? 'ok' : 'unavailable';
    return { status, checks };
  }
}

async function runCheck(check: ReadinessCheck): Promise<{ status: 'up' | 'down'; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([check(), timeout]);
    return { status: 'up' };
  } catch (error) {
    // The reason is for operators; it names the failing dependency, never its credentials.
    return {
      status: 'down',
      error: error instanceof Error ? error.message.slice(0, 200) : 'failed',
    };
  } finally {
    clearTimeout(timer);
  }
}
