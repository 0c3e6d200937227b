import { Injectable } from '@nestjs/common';

import { withinDeadline } from './within-deadline.util';

/**
 * Resolves when the dependency is up and rejects when it is down. A dependency that works but
 * is impaired (a consumer partition held back by a failing event) resolves with what to report.
 */
export type ReadinessCheck =
  (() => Promise<void>) | (() => Promise<ReadinessDegradation | undefined>);

export interface ReadinessDegradation {
  degraded: Record<string, unknown>;
}

export interface CheckResult {
  status: 'up' | 'degraded' | 'down';
  error?: string;
  details?: Record<string, unknown>;
}

export interface ReadinessReport {
  /** `degraded` still serves: only `unavailable` takes the instance out of rotation. */
  status: 'ok' | 'degraded' | 'unavailable';
  checks: Record<string, CheckResult>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * How long a client of /health must be ready to wait for its answer: every check may take
 * `CHECK_TIMEOUT_MS`, and a service whose non-essential check hangs still answers, 200
 * (degraded), just after it. A client that gives up at the check timeout itself (the fault
 * suite did, at 2 s) never sees that answer and takes a serving service for a dead one. The
 * Deployments' probes allow 3 s.
 */
export const HEALTH_ANSWERS_WITHIN_MS = CHECK_TIMEOUT_MS + 1_000;

/**
 * Named readiness checks (database, cache, broker...). Libraries register their own, e.g. the
 * messaging library registers `broker`; `/health` runs them all.
 */
export interface ReadinessCheckOptions {
  /**
   * A dependency the service cannot serve without (default). One the service works around when
   * it is down (the cache: lookups fall back to PostgreSQL, rate limits fail open) makes the
   * service degraded rather than unavailable, so an orchestrator does not take every instance
   * out of rotation because Redis went away.
   */
  essential?: boolean;
}

@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, { check: ReadinessCheck; essential: boolean }>();

  register(name: string, check: ReadinessCheck, options: ReadinessCheckOptions = {}): void {
    this.checks.set(name, { check, essential: options.essential ?? true });
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(
        async ([name, { check, essential }]) => [name, await runCheck(check), essential] as const,
      ),
    );
    const checks = Object.fromEntries(entries.map(([name, result]) => [name, result]));
    const essentialDown = entries.some(
      ([, result, essential]) => essential && result.status === 'down',
    );
    const impaired = entries.some(([, result]) => result.status !== 'up');
    const status = essentialDown ? 'unavailable' : impaired ? 'degraded' : 'ok';
    return { status, checks };
  }
}

async function runCheck(check: ReadinessCheck): Promise<CheckResult> {
  try {
    const outcome = await withinDeadline<unknown>(
      check(),
      CHECK_TIMEOUT_MS,
      () => new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`),
    );
    return isDegradation(outcome)
      ? { status: 'degraded', details: outcome.degraded }
      : { status: 'up' };
  } catch (error) {
    // The reason is for operators; it names the failing dependency, never its credentials.
    return {
      status: 'down',
      error: error instanceof Error ? error.message.slice(0, 200) : 'failed',
    };
  }
}

function isDegradation(outcome: unknown): outcome is ReadinessDegradation {
  return typeof outcome === 'object' && outcome !== null && 'degraded' in outcome;
}
