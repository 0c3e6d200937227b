/**
 * An event as it travels: CloudEvents 1.0 attributes (carried as Kafka headers in binary
 * mode) around a contract payload. `subject` is also the Kafka key.
 */
export interface EventEnvelope<P = unknown> {
  id: string;
  type: string;
  source: string;
  time: string;
  subject: string;
  correlationId?: string;
  causationId?: string;
  data: P;
}
