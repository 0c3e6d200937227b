import { ConfigValidationError, describeConfig, loadConfig } from './load-config';
import { envVariablesOf } from './env-variable.decorator';
import {
  DeviceRegistryConfig,
  ImplantEventsConfig,
  NotificationsConfig,
  SERVICE_CONFIG_CLASSES,
} from './services';

const secret = 'x'.repeat(40);

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  it('applies the service defaults and converts typed variables', () => {
    const config = loadConfig(DeviceRegistryConfig, {
      AUTH_JWT_SECRET: secret,
      PORT: '4001',
      KAFKA_BROKERS: 'a:9092, b:9093',
    });
    expect(config.port).toBe(4001);
    expect(config.databaseSchema).toBe('device_registry');
    expect(config.kafkaBrokers).toEqual(['a:9092', 'b:9093']);
    expect(config.serviceName).toBe('device-registry');
  });

  it('gives every service its own port and schema by default', () => {
    const implantEvents = loadConfig(ImplantEventsConfig, { AUTH_JWT_SECRET: secret });
    const notifications = loadConfig(NotificationsConfig, { AUTH_JWT_SECRET: secret });
    expect([implantEvents.port, implantEvents.databaseSchema]).toEqual([3002, 'implant_events']);
    expect([notifications.port, notifications.databaseSchema]).toEqual([3004, 'notifications']);
  });

  it('lists every bad variable at once, by name', () => {
    const error = problemsOf(() =>
      loadConfig(DeviceRegistryConfig, {
        PORT: 'eighty',
        NODE_ENV: 'staging',
        KAFKA_BROKERS: 'no-port',
        DATABASE_URL: 'mysql://db',
        WEBHOOK_ALLOW_PRIVATE_URLS: 'maybe',
      }),
    );
    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      'AUTH_JWT_SECRET',
      'DATABASE_URL',
      'KAFKA_BROKERS',
      'NODE_ENV',
      'PORT',
    ]);
    expect(error.message).toContain('Invalid configuration for DeviceRegistryConfig');
  });

  it('rejects a non-boolean flag', () => {
    const error = problemsOf(() =>
      loadConfig(NotificationsConfig, {
        AUTH_JWT_SECRET: secret,
        WEBHOOK_ALLOW_PRIVATE_URLS: 'maybe',
      }),
    );
    expect(error.problems.map((p) => p.variable)).toEqual(['WEBHOOK_ALLOW_PRIVATE_URLS']);
  });

  it('never echoes a secret value in its error', () => {
    const error = problemsOf(() =>
      loadConfig(DeviceRegistryConfig, { AUTH_JWT_SECRET: 'short-secret-value' }),
    );
    expect(error.problems.map((p) => p.variable)).toEqual(['AUTH_JWT_SECRET']);
    expect(error.message).not.toContain('short-secret-value');
  });

  it('requires a JWKS URL in production', () => {
    const error = problemsOf(() =>
      loadConfig(DeviceRegistryConfig, { NODE_ENV: 'production', AUTH_JWT_SECRET: secret }),
    );
    expect(error.problems.map((p) => p.variable)).toEqual(['AUTH_JWKS_URL']);
    const production = loadConfig(DeviceRegistryConfig, {
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://login.example.org/jwks.json',
    });
    expect(production.authJwtSecret).toBeUndefined();
  });
});

describe('typed variables', () => {
  it('converts numbers and booleans from the environment', () => {
    const config = loadConfig(NotificationsConfig, {
      AUTH_JWT_SECRET: secret,
      HTTP_BODY_LIMIT_BYTES: '2048',
      DATABASE_POOL_SIZE: '4',
      AUDIT_REQUIRED: 'false',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_TIMEOUT_MS: '500',
    });
    expect([config.httpBodyLimitBytes, config.databasePoolSize, config.webhookTimeoutMs]).toEqual([
      2048, 4, 500,
    ]);
    expect([config.auditRequired, config.webhookAllowPrivateUrls]).toEqual([false, true]);
  });

  it.each(SERVICE_CONFIG_CLASSES.map((c) => [c.name, c] as const))(
    '%s: every variable is declared with the type of its default',
    (_name, configClass) => {
      const defaults = new configClass() as unknown as Record<string, unknown>;
      for (const variable of envVariablesOf(configClass)) {
        const value = defaults[variable.property];
        if (value === undefined) continue;
        const runtimeType = Array.isArray(value) ? 'string[]' : typeof value;
        expect(`${variable.name}: ${variable.type}`).toBe(`${variable.name}: ${runtimeType}`);
      }
    },
  );
});

describe('describeConfig', () => {
  it('masks secrets and shows the rest', () => {
    const config = loadConfig(DeviceRegistryConfig, {
      AUTH_JWT_SECRET: secret,
      DATABASE_URL: 'postgres://app:hunter2@db:5432/implant_trace',
    });
    const shown = describeConfig(config);
    expect(shown['AUTH_JWT_SECRET']).toBe('********');
    expect(shown['DATABASE_URL']).toBe('********');
    expect(shown['PORT']).toBe(3001);
    expect(JSON.stringify(shown)).not.toContain('hunter2');
  });
});
