import { validateSync } from 'class-validator';

import type { EnvVariableDefinition } from './env-variable.decorator';
import { envVariablesOf } from './env-variable.decorator';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ConfigProblem {
  variable: string;
  messages: string[];
}

export class ConfigValidationError extends Error {
  constructor(
    readonly serviceName: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `Invalid configuration for ${serviceName}:\n` +
        problems.map((p) => `  - ${p.variable}: ${p.messages.join('; ')}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

function convert(definition: EnvVariableDefinition, raw: string): unknown {
  switch (definition.type) {
    case 'number':
      return raw.trim() === '' ? Number.NaN : Number(raw);
    case 'boolean':
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      return raw;
    case 'string[]':
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'string':
      return raw;
  }
}

/**
 * Builds and validates a config object from the environment. Every bad variable is reported
 * at once, by name, without echoing secret values, so a misconfigured service fails at boot
 * with one actionable message.
 */
export function loadConfig<T extends object>(
  configClass: new () => T,
  env: Environment = process.env,
): T {
  const config = new configClass();
  const definitions = envVariablesOf(configClass);
  const byProperty = new Map(definitions.map((d) => [d.property, d]));
  for (const definition of definitions) {
    const raw = env[definition.name];
    if (raw !== undefined) {
      (config as Record<string, unknown>)[definition.property] = convert(definition, raw);
    }
  }
  const errors = validateSync(config, { forbidUnknownValues: true, whitelist: false });
  if (errors.length > 0) {
    const problems = errors.map((error) => {
      const definition = byProperty.get(error.property);
      const messages = Object.values(error.constraints ?? { invalid: 'is invalid' }).map((m) =>
        m.replace(error.property, definition?.name ?? error.property),
      );
      return { variable: definition?.name ?? error.property, messages };
    });
    throw new ConfigValidationError(configClass.name, problems);
  }
  return config;
}

/** The config as loggable key/value pairs, secrets masked. */
export function describeConfig(config: object): Record<string, unknown> {
  const definitions = envVariablesOf(config.constructor as new () => object);
  return Object.fromEntries(
    definitions.map((d) => {
      const value = (config as Record<string, unknown>)[d.property];
      const shown = d.secret && value !== undefined && value !== '' ? '********' : value;
      return [d.name, shown];
    }),
  );
}
