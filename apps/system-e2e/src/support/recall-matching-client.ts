import { RECALLS_TOPIC } from '@implant-trace/contracts';
import {
  KafkaConnection,
  messagingConnectionOptions,
  readTopic,
  type ReadMessage,
} from '@implant-trace/platform-messaging';
import { testInfrastructure } from '@implant-trace/platform-testing';

import type { RunningService } from './service-process';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answers as loose JSON
export type JsonBody = Record<string, any>;

/** The broker the services run against, for reading what they published. */
export function brokerConnection(): KafkaConnection {
  return new KafkaConnection(
    messagingConnectionOptions(
      { kafkaBrokers: testInfrastructure().kafkaBrokers, kafkaSsl: false },
      'system-e2e',
    ),
  );
}

/** The next offset of each partition of a topic now: where to read a test's own events from. */
export async function topicEnds(topic: string): Promise<Map<number, string>> {
  const admin = brokerConnection().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((offset) => [offset.partition, offset.high]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * The events of a topic that `select` keeps, once `done` says so: read from `from` (see
 * `topicEnds`), or from the topic's start, which every earlier run has filled.
 */
export async function eventsOn(
  topic: string,
  select: (message: ReadMessage, payload: JsonBody) => boolean,
  done: (selected: readonly JsonBody[]) => boolean,
  { timeoutMs = 30_000, from }: { timeoutMs?: number; from?: ReadonlyMap<number, string> } = {},
): Promise<{ type: string; key: string | null; payload: JsonBody }[]> {
  const pick = (messages: readonly ReadMessage[]) =>
    messages.flatMap((message) => {
      if (message.decoded.kind !== 'event') return [];
      const payload = message.decoded.envelope.data as JsonBody;
      return select(message, payload)
        ? [{ type: message.decoded.envelope.type, key: message.key, payload }]
        : [];
    });
  const messages = await readTopic(brokerConnection(), topic, {
    until: (read) => done(pick(read).map((event) => event.payload)),
    timeoutMs,
    ...(from === undefined ? {} : { from }),
  });
  return pick(messages);
}

/** recall-matching as a regulator drives it: over HTTP, its recalls then seen on the topic. */
export class RecallMatchingClient {
  constructor(
    private readonly service: RunningService,
    private readonly regulatorToken: () => Promise<string>,
  ) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    bearer?: string,
  ): Promise<{ status: number; body: JsonBody }> {
    const response = await fetch(`${this.service.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer ?? (await this.regulatorToken())}`,
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as JsonBody };
  }

  /** Issues a recall; resolves once its recall.issued is on the recalls topic. */
  async issue(recall: JsonBody): Promise<JsonBody> {
    const answer = await this.call('POST', '/v1/recalls', recall);
    if (answer.status !== 201) {
      throw new Error(
        `issuing the recall answered ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    }
    const recallId = answer.body['recallId'] as string;
    await eventsOn(
      RECALLS_TOPIC.name,
      (message) => message.key === recallId,
      (selected) => selected.length > 0,
    );
    return answer.body;
  }
}
