import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

import tagMatrix from './tools/eslint/dep-constraints.cjs';

const { depConstraints, testDepConstraints } = tagMatrix;

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/.nx/**',
      '**/tmp/**',
      '**/.cache/**',
      '**/*.cjs',
      '**/*.mjs',
      'tools/eslint/fixtures/**',
    ],
  },
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: {
        projectService: {
          // Only the lint configuration's own tests (tools/eslint) lint these virtual files.
          allowDefaultProject: [
            'libs/*/src/lint-fixture.ts',
            'libs/platform/*/src/lint-fixture.ts',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name=/^(describe|it|test)$/][callee.property.name='only']",
          message: 'No focused tests: .only would silently skip the rest of the suite.',
        },
        {
          selector:
            "CallExpression:matches([callee.object.name=/^moduleRef$/i], [callee.object.property.name=/^moduleRef$/i])[callee.property.name=/^(get|resolve)$/] > ObjectExpression > Property[key.name='strict'][value.value=false]",
          message:
            'Inject the dependency instead of looking it up with { strict: false }: a look-up hides what a class needs and breaks when modules move.',
        },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
        },
      ],
    },
  },
  {
    // kafkajs is unmaintained: it stays behind libs/platform/messaging's own interfaces so
    // that moving to another client changes one library.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['libs/platform/messaging/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kafkajs', message: 'Use @implant-trace/platform-messaging.' }],
          patterns: [{ group: ['kafkajs/*'], message: 'Use @implant-trace/platform-messaging.' }],
        },
      ],
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.spec.tsx',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/test-support/**/*.ts',
    ],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: testDepConstraints },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
