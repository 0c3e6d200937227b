export { createKafkaClient, type KafkaClientOptions } from './lib/kafka-client.factory';
