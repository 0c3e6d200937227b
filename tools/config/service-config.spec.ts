import { envVariablesOf, loadConfig } from '@implant-trace/platform-config';

import { serviceConfigClasses } from './service-config-classes';

const secret = 'x'.repeat(40);

describe('the service config classes (apps/<service>/src/<service>.config.ts)', () => {
  const classes = serviceConfigClasses();

  it('are found for every service, in port order', () => {
    expect(classes.map((c) => new c().serviceName)).toEqual([
      'device-registry',
      'implant-events',
      'recall-matching',
      'notifications',
    ]);
  });

  it('give every service its own port and schema by default', () => {
    const defaults = classes.map((c) => loadConfig(c, { AUTH_JWT_SECRET: secret }));
    expect(defaults.map((config) => [config.port, config.databaseSchema])).toEqual([
      [3001, 'device_registry'],
      [3002, 'implant_events'],
      [3003, 'recall_matching'],
      [3004, 'notifications'],
    ]);
  });

  it('declare every variable with the type of its default', () => {
    for (const configClass of classes) {
      const defaults = new configClass() as unknown as Record<string, unknown>;
      for (const variable of envVariablesOf(configClass)) {
        const value = defaults[variable.property];
        if (value === undefined) continue;
        const runtimeType = Array.isArray(value) ? 'string[]' : typeof value;
        expect(`${configClass.name} ${variable.name}: ${variable.type}`).toBe(
          `${configClass.name} ${variable.name}: ${runtimeType}`,
        );
      }
    }
  });
});
