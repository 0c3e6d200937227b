// No imports on purpose: the Jest test environment (tools/jest) loads this file directly, in
// each test worker's own process, outside the module graph of the workspace.

/**
 * kafkajs 2.2.4's request queue schedules its throttle check `throttledUntil - Date.now()`
 * ms ahead with `throttledUntil` still -1 when there is no throttle, i.e. about -Date.now().
 * Node 24 warns once per process about a negative delay and fires the timer at once, which is
 * what kafkajs means. A deadline of ours that went negative would be a small number, so only
 * a delay as large as an epoch timestamp in ms is taken for the kafkajs quirk.
 */
const KAFKAJS_DELAY_AT_LEAST = 1e12;
const NEGATIVE_DELAY = /^(-\d+(?:\.\d+)?) is a negative number\./;

type WarningOptions = string | { type?: string } | undefined;

function warningType(warning: string | Error, typeOrOptions: WarningOptions): string | undefined {
  if (typeof warning !== 'string') return warning.name;
  return typeof typeOrOptions === 'string' ? typeOrOptions : typeOrOptions?.type;
}

/** True only for the TimeoutNegativeWarning that kafkajs's request queue causes. */
export function isKafkajsTimerWarning(
  warning: string | Error,
  typeOrOptions?: WarningOptions,
): boolean {
  if (warningType(warning, typeOrOptions) !== 'TimeoutNegativeWarning') return false;
  const delay = NEGATIVE_DELAY.exec(typeof warning === 'string' ? warning : warning.message);
  return delay?.[1] !== undefined && -Number(delay[1]) >= KAFKAJS_DELAY_AT_LEAST;
}

const filtered = new WeakSet<object>();

/**
 * Drops exactly kafkajs's timer warning from `target`'s warnings (the running process by
 * default); every other warning goes through unchanged. Idempotent.
 */
export function dropKafkajsTimerWarning(
  target: Pick<NodeJS.Process, 'emitWarning'> = process,
): void {
  if (filtered.has(target)) return;
  filtered.add(target);
  const emitWarning = target.emitWarning.bind(target) as (...args: unknown[]) => void;
  target.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (isKafkajsTimerWarning(warning, rest[0] as WarningOptions)) return;
    emitWarning(warning, ...rest);
  }) as NodeJS.Process['emitWarning'];
}
