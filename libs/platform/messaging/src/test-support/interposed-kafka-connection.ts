import type { Producer } from 'kafkajs';

import type { MessagingConnectionOptions } from '../lib/broker/kafka-connection';
import { KafkaConnection } from '../lib/broker/kafka-connection';

/** Test code run around each real send of the producers this connection makes. */
export interface SendInterposer {
  /** Before the request leaves: a slow network, a paused process. */
  beforeSend?: () => Promise<void>;
  /** After the broker acknowledged it: where a process dies before it records the send. */
  afterSend?: () => Promise<void>;
}

/**
 * A real connection to the real broker whose producers run test code around each send, so a
 * test can make a relay slow, or stop it between sending and marking, at an exact point.
 */
export class InterposedKafkaConnection extends KafkaConnection {
  constructor(
    options: MessagingConnectionOptions,
    private readonly interposer: SendInterposer,
  ) {
    super(options);
  }

  override idempotentProducer(): Producer {
    const producer = super.idempotentProducer();
    const interposed =
      <A extends unknown[], R>(send: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        await this.interposer.beforeSend?.();
        const metadata = await send(...args);
        await this.interposer.afterSend?.();
        return metadata;
      };
    return {
      ...producer,
      send: interposed(producer.send),
      sendBatch: interposed(producer.sendBatch),
    };
  }
}
