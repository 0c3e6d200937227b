import { envVariablesOf } from './env-variable.decorator';

type ConfigClass = new () => object & { serviceName: string };

function exampleValue(config: Record<string, unknown>, property: string, example?: string) {
  if (example !== undefined) return example;
  const value = config[property];
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * `.env.example`, generated from the config classes so it cannot drift from what the
 * services actually read. Secrets show their example, never a value.
 */
export function renderEnvExample(configClasses: readonly ConfigClass[]): string {
  const sections = configClasses.map((configClass) => {
    const config = new configClass() as object & Record<string, unknown>;
    const lines = envVariablesOf(configClass).map((variable) => {
      const value = exampleValue(config, variable.property, variable.example);
      const secret = variable.secret ? ' [secret]' : '';
      return `# ${variable.description}${secret}\n# ${variable.name}=${value}`;
    });
    return `## ${String(config['serviceName'])}\n${lines.join('\n')}`;
  });
  return (
    '# Generated from the service config classes by `npm run config:env-example`; do not edit.\n' +
    '# Every variable is optional unless marked required in its description; the values shown\n' +
    '# are the defaults used for local development.\n\n' +
    sections.join('\n\n') +
    '\n'
  );
}
