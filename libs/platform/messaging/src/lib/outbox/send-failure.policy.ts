import { PartitionNotAcknowledgedError } from '../broker/unacknowledged-partitions';
import { SendDeadlineExceededError } from './send-deadline-exceeded.error';

/**
 * What a failed send says about the rows in it.
 * - `unreachable`: the broker could not be reached or did not answer (in time); no row is to
 *   blame.
 * - `producer-state`: the producer's sequence or epoch no longer matches the broker's (after a
 *   broker restart); a new producer fixes it, no row is to blame.
 * - `retry-later`: the broker answered "not now" for the partition (no leader, too few
 *   replicas), and kept answering it through every retry, or its answer left the partition
 *   out; the partition is to blame, no row.
 * - `refused`: the broker refused the records for good (too large, not authorised, invalid):
 *   sending them again can never succeed.
 * - `unexplained`: anything else (an encoding error, a missing topic); it may pass, but a row
 *   that keeps failing on its own is poison.
 */
export type SendFailure =
  'unreachable' | 'producer-state' | 'retry-later' | 'refused' | 'unexplained';

interface KafkaJsErrorShape {
  name?: unknown;
  type?: unknown;
  retriable?: unknown;
  message?: unknown;
  cause?: unknown;
}

const UNREACHABLE_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
]);

const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_ID_MAPPING',
  'PRODUCER_FENCED',
]);

/** kafkajs wraps the broker's answer in retry errors; the chain ends at what happened. */
function causeChain(error: unknown): KafkaJsErrorShape[] {
  const chain: KafkaJsErrorShape[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 10) {
    const shape = current as KafkaJsErrorShape;
    chain.push(shape);
    if (shape.cause === current) break;
    current = shape.cause;
  }
  return chain;
}

export function classifySendFailure(error: unknown): SendFailure {
  if (error instanceof PartitionNotAcknowledgedError) return 'retry-later';
  if (error instanceof SendDeadlineExceededError) return 'unreachable';
  const chain = causeChain(error);
  if (chain.some((e) => typeof e.type === 'string' && PRODUCER_STATE_ERRORS.has(e.type))) {
    return 'producer-state';
  }
  if (
    chain.some(
      (e) =>
        (typeof e.name === 'string' && UNREACHABLE_ERRORS.has(e.name)) ||
        e.message === 'The producer is disconnected',
    )
  ) {
    return 'unreachable';
  }
  const root = chain[chain.length - 1];
  if (root?.retriable === false) return 'refused';
  return typeof root?.type === 'string' ? 'retry-later' : 'unexplained';
}

/** Whether a failure says nothing against the rows sent: they are given back uncharged. */
export function blamesNoRow(failure: SendFailure): boolean {
  return failure === 'unreachable' || failure === 'producer-state' || failure === 'retry-later';
}

/** The reason kept on a parked row: the broker's error code first, then its words. */
export function describeSendFailure(error: unknown): string {
  const chain = causeChain(error);
  const answer = chain.findLast((e) => typeof e.type === 'string') ?? chain[chain.length - 1];
  const message = String(answer?.message ?? error);
  return typeof answer?.type === 'string' ? `${answer.type}: ${message}` : message;
}
