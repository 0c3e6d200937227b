import { IsBoolean, IsInt, Min } from 'class-validator';

import { EnvVariable } from './env-variable.decorator';
import { ConfigValidationError, describeConfig, loadConfig } from './load-config';
import { ServiceConfigBase } from './service-base.config';

/** A service's config as the services write theirs (apps/<service>/src/<service>.config.ts). */
class ProbeServiceConfig extends ServiceConfigBase {
  readonly serviceName = 'probe-service';
  override port = 3001;
  override databaseSchema = 'probe_service';

  @EnvVariable({ name: 'PROBE_ALLOW_PRIVATE_URLS', description: 'A service flag' })
  @IsBoolean()
  allowPrivateUrls: boolean = false;

  @EnvVariable({ name: 'PROBE_TIMEOUT_MS', description: 'A service number' })
  @IsInt()
  @Min(100)
  timeoutMs: number = 10_000;
}

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
    const config = loadConfig(ProbeServiceConfig, {
      AUTH_JWT_SECRET: secret,
      PORT: '4001',
      KAFKA_BROKERS: 'a:9092, b:9093',
    });
    expect(config.port).toBe(4001);
    expect(config.databaseSchema).toBe('probe_service');
    expect(config.kafkaBrokers).toEqual(['a:9092', 'b:9093']);
    expect(config.serviceName).toBe('probe-service');
  });

  it('lists every bad variable at once, by name', () => {
    const error = problemsOf(() =>
      loadConfig(ProbeServiceConfig, {
        PORT: 'eighty',
        NODE_ENV: 'staging',
        KAFKA_BROKERS: 'no-port',
        DATABASE_URL: 'mysql://db',
        // Another service's variable: not this service's business.
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
    expect(error.message).toContain('Invalid configuration for ProbeServiceConfig');
  });

  it('rejects a non-boolean flag', () => {
    const error = problemsOf(() =>
      loadConfig(ProbeServiceConfig, {
        AUTH_JWT_SECRET: secret,
        PROBE_ALLOW_PRIVATE_URLS: 'maybe',
      }),
    );
    expect(error.problems.map((p) => p.variable)).toEqual(['PROBE_ALLOW_PRIVATE_URLS']);
  });

  it('never echoes a secret value in its error', () => {
    const error = problemsOf(() =>
      loadConfig(ProbeServiceConfig, { AUTH_JWT_SECRET: 'short-secret-value' }),
    );
    expect(error.problems.map((p) => p.variable)).toEqual(['AUTH_JWT_SECRET']);
    expect(error.message).not.toContain('short-secret-value');
  });

  it('requires a JWKS URL in production', () => {
    const error = problemsOf(() =>
      loadConfig(ProbeServiceConfig, { NODE_ENV: 'production', AUTH_JWT_SECRET: secret }),
    );
    expect(error.problems.map((p) => p.variable)).toEqual(['AUTH_JWKS_URL']);
    const production = loadConfig(ProbeServiceConfig, {
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://login.example.org/jwks.json',
    });
    expect(production.authJwtSecret).toBeUndefined();
  });

  it('accepts an HS256 secret instead of a JWKS in production only when explicitly allowed', () => {
    const allowed = loadConfig(ProbeServiceConfig, {
      NODE_ENV: 'production',
      AUTH_HS256_IN_PRODUCTION: 'true',
      AUTH_JWT_SECRET: secret,
    });
    expect([allowed.authJwksUrl, allowed.authJwtSecret]).toEqual([undefined, secret]);
    const withoutSecret = problemsOf(() =>
      loadConfig(ProbeServiceConfig, { NODE_ENV: 'production', AUTH_HS256_IN_PRODUCTION: 'true' }),
    );
    expect(withoutSecret.problems.map((p) => p.variable)).toEqual(['AUTH_JWT_SECRET']);
  });
});

describe('typed variables', () => {
  it('converts numbers and booleans from the environment', () => {
    const config = loadConfig(ProbeServiceConfig, {
      AUTH_JWT_SECRET: secret,
      HTTP_BODY_LIMIT_BYTES: '2048',
      DATABASE_POOL_SIZE: '4',
      AUDIT_REQUIRED: 'false',
      PROBE_ALLOW_PRIVATE_URLS: 'true',
      PROBE_TIMEOUT_MS: '500',
    });
    expect([config.httpBodyLimitBytes, config.databasePoolSize, config.timeoutMs]).toEqual([
      2048, 4, 500,
    ]);
    expect([config.auditRequired, config.allowPrivateUrls]).toEqual([false, true]);
  });
});

describe('describeConfig', () => {
  it('masks secrets and shows the rest', () => {
    const config = loadConfig(ProbeServiceConfig, {
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
