import type { KafkaConfig } from 'kafkajs';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';

let timerWarningFiltered = false;

/**
 * kafkajs computes some timer delays that go negative on Node 24, which then prints a
 * TimeoutNegativeWarning (the timer fires at once, as kafkajs intends). Drop exactly that
 * warning so it does not flood the logs; every other warning still goes through.
 */
function filterKafkajsTimerWarning(): void {
  if (timerWarningFiltered) return;
  timerWarningFiltered = true;
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name = typeof warning === 'string' ? rest[0] : warning.name;
    const type =
      typeof name === 'object' && name !== null ? (name as { type?: string }).type : name;
    if (type === 'TimeoutNegativeWarning') return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs's own logs are noisy and unstructured; off unless asked for. */
  verbose?: boolean;
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  filterKafkajsTimerWarning();
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: options.verbose ? KafkaLogLevel.INFO : KafkaLogLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
    connectionTimeout: 3_000,
  };
  return new Kafka(config);
}
