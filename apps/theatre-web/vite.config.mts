import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const workspaceRoot = join(here, '..', '..');

// The workspace aliases of tsconfig.base.json, so the page imports libs as the services do.
const { compilerOptions } = JSON.parse(
  readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8'),
) as {
  compilerOptions: { paths: Record<string, [string]> };
};
const alias = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([name, [target]]) => [
    name,
    join(workspaceRoot, target),
  ]),
);

export default defineConfig(({ mode }) => ({
  root: here,
  plugins: [react()],
  resolve: { alias },
  // Development sign-in exists only in development builds: elsewhere the constant is false and
  // the bundler drops the picker's code.
  define: { __DEV_SIGN_IN__: JSON.stringify(mode === 'development') },
  build: {
    outDir: join(
      workspaceRoot,
      'dist',
      'apps',
      'theatre-web',
      mode === 'development' ? 'public-dev' : 'public',
    ),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: { port: 3000 },
}));
