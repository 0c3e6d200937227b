import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';

import { kafkaConnectionSettings } from './kafka-connection.config';
import type { Environment } from './load-config';
import { ConfigValidationError, describeConfig, loadConfig } from './load-config';
import { ServiceConfigBase } from './service-base.config';

class ProbeServiceConfig extends ServiceConfigBase {
  readonly serviceName = 'probe-service';
  override port = 3000;
  override databaseSchema = 'probe_service';
}

const base = { AUTH_JWT_SECRET: 'x'.repeat(40), KAFKA_BROKERS: 'kafka-1:9093' };
const password = 'scram-password-that-must-never-be-shown';
const privateKeyPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

function load(env: Environment) {
  return loadConfig(ProbeServiceConfig, { ...base, ...env });
}

function problemsOf(env: Environment): ConfigValidationError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

function messagesFor(error: ConfigValidationError, variable: string): string[] {
  return error.problems.find((p) => p.variable === variable)?.messages ?? [];
}

describe('Kafka connection config', () => {
  it('is plaintext without authentication unless asked for', () => {
    expect(kafkaConnectionSettings(load({}))).toEqual({ brokers: ['kafka-1:9093'] });
  });

  it("uses TLS with Node's trusted CAs when only KAFKA_SSL is set", () => {
    expect(kafkaConnectionSettings(load({ KAFKA_SSL: 'true' }))).toEqual({
      brokers: ['kafka-1:9093'],
      tls: {},
    });
  });

  it('passes SCRAM credentials and the client id through', () => {
    const settings = kafkaConnectionSettings(
      load({
        KAFKA_SSL: 'true',
        KAFKA_CLIENT_ID: 'registry-7',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
        KAFKA_SASL_USERNAME: 'registry',
        KAFKA_SASL_PASSWORD: password,
      }),
    );
    expect(settings).toEqual({
      brokers: ['kafka-1:9093'],
      clientId: 'registry-7',
      tls: {},
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'registry', password },
    });
  });

  it("leaves topic replication to the cluster's defaults unless the deployment sets it", () => {
    expect(kafkaConnectionSettings(load({})).replication).toBeUndefined();
    expect(
      kafkaConnectionSettings(
        load({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' }),
      ).replication,
    ).toEqual({ factor: 3, minInsyncReplicas: 2 });
    expect(kafkaConnectionSettings(load({ KAFKA_MIN_INSYNC_REPLICAS: '2' })).replication).toEqual({
      minInsyncReplicas: 2,
    });
  });

  it('refuses a min.insync.replicas above the replication factor, and replicas below one', () => {
    const unwritable = problemsOf({
      KAFKA_REPLICATION_FACTOR: '1',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
    });
    expect(unwritable.problems.map((p) => p.variable)).toEqual(['KAFKA_MIN_INSYNC_REPLICAS']);
    expect(messagesFor(unwritable, 'KAFKA_MIN_INSYNC_REPLICAS')).toEqual([
      'KAFKA_MIN_INSYNC_REPLICAS must not exceed KAFKA_REPLICATION_FACTOR (no write could be acknowledged)',
    ]);
    const none = problemsOf({ KAFKA_REPLICATION_FACTOR: '0' });
    expect(none.problems.map((p) => p.variable)).toEqual(['KAFKA_REPLICATION_FACTOR']);
  });

  it('refuses SASL without TLS, an unknown mechanism, and credentials without a mechanism', () => {
    const clear = problemsOf({
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'registry',
      KAFKA_SASL_PASSWORD: password,
    });
    expect(clear.problems.map((p) => p.variable)).toEqual(['KAFKA_SASL_MECHANISM']);
    expect(messagesFor(clear, 'KAFKA_SASL_MECHANISM')).toEqual([
      'KAFKA_SASL_MECHANISM needs KAFKA_SSL=true',
    ]);

    const plain = problemsOf({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'PLAIN' });
    expect(messagesFor(plain, 'KAFKA_SASL_MECHANISM')).toEqual([
      'KAFKA_SASL_MECHANISM must be one of SCRAM-SHA-256, SCRAM-SHA-512',
    ]);

    const orphaned = problemsOf({ KAFKA_SASL_USERNAME: 'registry', KAFKA_SASL_PASSWORD: password });
    expect(orphaned.problems).toEqual([
      {
        variable: 'KAFKA_SASL_USERNAME',
        messages: ['KAFKA_SASL_USERNAME is set but KAFKA_SASL_MECHANISM is not'],
      },
      {
        variable: 'KAFKA_SASL_PASSWORD',
        messages: ['KAFKA_SASL_PASSWORD is set but KAFKA_SASL_MECHANISM is not'],
      },
    ]);
  });

  it('requires the username and password with a mechanism', () => {
    const error = problemsOf({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512' });
    expect(error.problems).toEqual([
      {
        variable: 'KAFKA_SASL_USERNAME',
        messages: ['KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM'],
      },
      {
        variable: 'KAFKA_SASL_PASSWORD',
        messages: ['KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM'],
      },
    ]);
  });

  it('refuses certificates without KAFKA_SSL, unreadable files and PEM that is not what it claims', () => {
    const withoutSsl = problemsOf({ KAFKA_SSL_CA: '/run/secrets/kafka-ca.pem' });
    expect(messagesFor(withoutSsl, 'KAFKA_SSL_CA')).toEqual([
      'KAFKA_SSL_CA is set but KAFKA_SSL is not true',
    ]);

    const error = problemsOf({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA: '/nonexistent/kafka-ca.pem',
      KAFKA_SSL_CERT: privateKeyPem,
      KAFKA_SSL_KEY: '-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n',
    });
    expect(error.problems.map((p) => p.variable)).toEqual([
      'KAFKA_SSL_CA',
      'KAFKA_SSL_CERT',
      'KAFKA_SSL_KEY',
    ]);
    expect(messagesFor(error, 'KAFKA_SSL_CERT')).toEqual([
      'KAFKA_SSL_CERT must be PEM text or the path of a readable PEM file holding a certificate',
    ]);
    expect(messagesFor(error, 'KAFKA_SSL_KEY')).toEqual([
      'KAFKA_SSL_KEY must be PEM text or the path of a readable PEM file holding a private key (unencrypted)',
    ]);
  });

  it('wants a client key and certificate together', () => {
    const error = problemsOf({ KAFKA_SSL: 'true', KAFKA_SSL_KEY: privateKeyPem });
    expect(error.problems).toEqual([
      {
        variable: 'KAFKA_SSL_KEY',
        messages: ['KAFKA_SSL_KEY and KAFKA_SSL_CERT are set together or not at all'],
      },
    ]);
  });

  it('never shows the password or the private key: boot log, config logged whole, errors', () => {
    const error = problemsOf({
      KAFKA_SSL: 'true',
      KAFKA_SSL_KEY: privateKeyPem,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_PASSWORD: password,
    });
    expect(error.problems.map((p) => p.variable)).toEqual(['KAFKA_SSL_KEY', 'KAFKA_SASL_USERNAME']);
    expect(error.message).not.toContain(password);
    expect(error.message).not.toContain('PRIVATE KEY');

    const config = load({
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'registry',
      KAFKA_SASL_PASSWORD: password,
    });
    config.kafkaSslKey = privateKeyPem;
    const shown = describeConfig(config);
    expect(shown).toMatchObject({
      KAFKA_SSL: true,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'registry',
      KAFKA_SASL_PASSWORD: '********',
      KAFKA_SSL_KEY: '********',
    });
    for (const whole of [JSON.stringify({ config }), inspect({ config }), JSON.stringify(shown)]) {
      expect(whole).not.toContain(password);
      expect(whole).not.toContain('PRIVATE KEY');
    }
    expect(JSON.parse(JSON.stringify(config))).toEqual(shown);
  });
});
