// The tag matrix of STYLE.md. Every project has exactly one type:* and one scope:* tag
// (tools/checks enforces that); these constraints make the dependency direction a lint error.

const frameworkAndDrivers = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'kafkajs',
  'redis',
  '@redis/*',
  'express',
  'jose',
  'pino',
  'rxjs',
];

const services = [
  'device-registry',
  'implant-events',
  'recall-matching',
  'notifications',
  'theatre-web',
];

const productionConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:contracts', 'type:domain'],
  },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:platform'],
  },
  {
    // ARCHITECTURE.md: anything may use the contracts; they are framework-free like domain code.
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'],
    bannedExternalImports: frameworkAndDrivers,
  },
  {
    sourceTag: 'type:contracts',
    onlyDependOnLibsWithTags: ['type:domain'],
    bannedExternalImports: frameworkAndDrivers,
  },
  {
    sourceTag: 'type:platform',
    onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain'],
  },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain', 'type:testing'],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: ['type:testing', 'type:platform', 'type:contracts', 'type:domain'],
  },
  {
    sourceTag: 'type:tooling',
    onlyDependOnLibsWithTags: [
      'type:testing',
      'type:platform',
      'type:contracts',
      'type:domain',
      'type:feature',
    ],
  },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ...services.map((service) => ({
    sourceTag: `scope:${service}`,
    onlyDependOnLibsWithTags: [`scope:${service}`, 'scope:shared'],
  })),
];

const projectTypes = [
  'app',
  'feature',
  'domain',
  'contracts',
  'platform',
  'testing',
  'e2e',
  'tooling',
];
const projectScopes = ['shared', ...services];

/** Tests may also use the testing helpers (real-server fixtures, polling). */
const testDepConstraints = productionConstraints.map((constraint) =>
  constraint.onlyDependOnLibsWithTags.some((tag) => tag.startsWith('type:'))
    ? {
        ...constraint,
        onlyDependOnLibsWithTags: [
          ...new Set([...constraint.onlyDependOnLibsWithTags, 'type:testing']),
        ],
      }
    : constraint,
);

module.exports = {
  depConstraints: productionConstraints,
  testDepConstraints,
  projectTypes,
  projectScopes,
};
