import { ArrayNotEmpty, IsUrl, Matches } from 'class-validator';

import { EnvVariable } from './env-variable.decorator';

/** Where integration and end-to-end tests find the real servers. */
export class TestInfrastructureConfig {
  @EnvVariable({ name: 'DATABASE_URL', description: 'PostgreSQL for tests' })
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  databaseUrl = 'postgres://postgres@127.0.0.1:5432/implant_trace';

  @EnvVariable({ name: 'KAFKA_BROKERS', description: 'Kafka bootstrap list for tests' })
  @ArrayNotEmpty()
  @Matches(/^[A-Za-z0-9.-]+:\d{1,5}$/, { each: true })
  kafkaBrokers: string[] = ['127.0.0.1:9092'];

  @EnvVariable({ name: 'REDIS_URL', description: 'Redis for tests' })
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false })
  redisUrl = 'redis://127.0.0.1:6379';
}
