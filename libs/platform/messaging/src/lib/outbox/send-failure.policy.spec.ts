import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';

import { PartitionNotAcknowledgedError } from '../broker/unacknowledged-partitions';
import { blamesNoRow, classifySendFailure, describeSendFailure } from './send-failure.policy';

/** What kafkajs's retrier throws for a non-retriable answer: the answer as its cause. */
const nonRetriable = (error: Error) =>
  Object.assign(new KafkaJSNonRetriableError(error), { cause: error });

const protocolError = (type: string, retriable: boolean, message = `${type} happened`) =>
  new KafkaJSProtocolError({ type, retriable, message, code: 1 } as never);

describe('classifySendFailure', () => {
  it.each([
    ['MESSAGE_TOO_LARGE', false],
    ['RECORD_LIST_TOO_LARGE', false],
    ['TOPIC_AUTHORIZATION_FAILED', false],
    ['INVALID_RECORD', false],
  ])('calls %s refused for good', (type, retriable) => {
    expect(classifySendFailure(protocolError(type, retriable))).toBe('refused');
  });

  it('looks through the retry wrappers of kafkajs to what the broker answered', () => {
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', false);
    expect(classifySendFailure(nonRetriable(tooLarge))).toBe('refused');
  });

  it('blames the partition, not a row, for a "not now" answer that outlasted the retries', () => {
    const noLeader = protocolError('LEADER_NOT_AVAILABLE', true);
    const exhausted = new KafkaJSNumberOfRetriesExceeded(noLeader, {
      retryCount: 10,
      retryTime: 5000,
    } as never);
    expect(classifySendFailure(exhausted)).toBe('retry-later');
    expect(blamesNoRow('retry-later')).toBe(true);
  });

  it('blames the partition, not a row, when the answer left the partition out', () => {
    const leftOut = new PartitionNotAcknowledgedError('implant-events.implants.v1', 4);
    expect(classifySendFailure(leftOut)).toBe('retry-later');
  });

  it('blames no row when the broker cannot be reached', () => {
    const refusedConnection = new KafkaJSConnectionError('Connection error: ECONNREFUSED');
    const exhausted = new KafkaJSNumberOfRetriesExceeded(refusedConnection, {
      retryCount: 10,
      retryTime: 5000,
    } as never);
    expect(classifySendFailure(exhausted)).toBe('unreachable');
    expect(blamesNoRow('unreachable')).toBe(true);
    expect(classifySendFailure(new KafkaJSError('The producer is disconnected'))).toBe(
      'unreachable',
    );
  });

  it('blames the producer, not the row, for a sequence the broker no longer accepts', () => {
    expect(classifySendFailure(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', false))).toBe(
      'producer-state',
    );
    expect(classifySendFailure(protocolError('UNKNOWN_PRODUCER_ID', false))).toBe('producer-state');
  });

  it('calls anything else unexplained, which a row that keeps failing is charged with', () => {
    expect(classifySendFailure(new TypeError('value must be a string or a Buffer'))).toBe(
      'unexplained',
    );
    expect(classifySendFailure('boom')).toBe('unexplained');
    expect(blamesNoRow('unexplained')).toBe(false);
    expect(blamesNoRow('refused')).toBe(false);
  });
});

describe('describeSendFailure', () => {
  it('keeps the broker error code with its message', () => {
    const tooLarge = protocolError(
      'MESSAGE_TOO_LARGE',
      false,
      'The request included a message larger than the max message size the server will accept',
    );
    expect(describeSendFailure(nonRetriable(tooLarge))).toBe(
      'MESSAGE_TOO_LARGE: The request included a message larger than the max message size the server will accept',
    );
  });
});
