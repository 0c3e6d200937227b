// `nx build <app>` (`node -r @swc-node/register tools/build/build-app.ts <app> [out-dir]`):
// compiles an app to plain JavaScript that production Node runs without any TypeScript
// loader. TypeScript resolves the files the app's entry points reach through the workspace
// aliases; SWC compiles each one (decorator metadata kept for Nest and class-validator) and
// rewrites the aliases into relative paths, so dist/ mirrors the repository and needs only
// the production dependencies in node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

import { transformFileSync } from '@swc/core';
import ts from 'typescript';

const workspaceRoot = join(__dirname, '..', '..');

/**
 * Where an app's Node entry points are: `src`, or `src/server` for an app whose `src` is a
 * browser page (theatre-web: its page server is the Node program, the page is built by Vite).
 */
function nodeSourceDirOf(app: string): string {
  return existsSync(join(workspaceRoot, 'apps', app, 'src', 'main.ts')) ? 'src' : 'src/server';
}

/** An app's entry points: `main.ts`, `migrate.ts` and any `<task>.main.ts`. */
export function entryPointsOf(app: string): string[] {
  return readdirSync(join(workspaceRoot, 'apps', app, nodeSourceDirOf(app)))
    .filter((file) => file === 'main.ts' || file === 'migrate.ts' || file.endsWith('.main.ts'))
    .sort();
}

function readTsconfig(file: string): { compilerOptions?: ts.CompilerOptions } {
  const { config, error } = ts.readConfigFile(file, (path) => ts.sys.readFile(path));
  if (error !== undefined) {
    throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  }
  return config as { compilerOptions?: ts.CompilerOptions };
}

function compilerOptionsOf(app: string): ts.CompilerOptions {
  const projectDir = join(workspaceRoot, 'apps', app);
  const config = readTsconfig(join(projectDir, 'tsconfig.json'));
  return ts.parseJsonConfigFileContent(config, ts.sys, projectDir).options;
}

/** The workspace's own source files the entry points reach, found as the compiler finds them. */
function sourceFilesOf(app: string, entryPoints: string[]): string[] {
  const program = ts.createProgram(
    entryPoints.map((entry) => join(workspaceRoot, 'apps', app, nodeSourceDirOf(app), entry)),
    compilerOptionsOf(app),
  );
  return program
    .getSourceFiles()
    .map((source) => source.fileName)
    .filter((file) => !file.endsWith('.d.ts') && !file.includes('/node_modules/'))
    .sort();
}

/** The workspace aliases (`@implant-trace/...`), which SWC rewrites into relative paths. */
const aliases = readTsconfig(join(workspaceRoot, 'tsconfig.base.json')).compilerOptions?.paths;

function compile(file: string, outFile: string): void {
  const output = transformFileSync(file, {
    swcrc: false,
    configFile: false,
    sourceMaps: true,
    sourceFileName: relative(dirname(outFile), file),
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      baseUrl: workspaceRoot,
      paths: aliases ?? {},
    },
    module: { type: 'commonjs' },
  });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${output.code}\n//# sourceMappingURL=${basename(outFile)}.map\n`);
  if (output.map !== undefined) writeFileSync(`${outFile}.map`, output.map);
}

const launcherOf = (entry: string) => entry.replace(/\.ts$/, '.js');

/** The page's production build (Vite), for an app that has one; into `outDir`. */
function buildPage(app: string, outDir: string): void {
  const config = join(workspaceRoot, 'apps', app, 'vite.config.mts');
  if (!existsSync(config)) return;
  execFileSync(
    join(workspaceRoot, 'node_modules', '.bin', 'vite'),
    ['build', '-c', config, '--mode', 'production', '--outDir', outDir, '--emptyOutDir'],
    { cwd: workspaceRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/**
 * Builds `app` into `outDir` (default `dist/apps/<app>`): the reached sources at their
 * repository paths, `<entry>.js` beside them for each entry point
 * (`node dist/apps/<app>/main.js`, `node dist/apps/<app>/migrate.js`), and an app's page in
 * `public/`. Only what a build writes is replaced: theatre-web's development page
 * (`public-dev/`, which `npm start` serves) stays. Returns the entry files.
 */
export function buildApp(app: string, outDir = join(workspaceRoot, 'dist', 'apps', app)): string[] {
  const entryPoints = entryPointsOf(app);
  if (!entryPoints.includes('main.ts')) throw new Error(`apps/${app} has no main.ts`);
  for (const written of ['apps', 'libs', 'public', ...entryPoints.map(launcherOf)]) {
    rmSync(join(outDir, written), { recursive: true, force: true });
  }
  for (const file of sourceFilesOf(app, entryPoints)) {
    compile(file, join(outDir, relative(workspaceRoot, file)).replace(/\.ts$/, '.js'));
  }
  buildPage(app, join(outDir, 'public'));
  return entryPoints.map((entry) => {
    const launcher = join(outDir, launcherOf(entry));
    const target = `./apps/${app}/${nodeSourceDirOf(app)}/${launcherOf(entry)}`;
    writeFileSync(launcher, `'use strict';\nrequire('${target}');\n`);
    return launcher;
  });
}

if (require.main === module) {
  const [app, outDir] = process.argv.slice(2);
  if (app === undefined) throw new Error('usage: build-app.ts <app> [out-dir]');
  for (const entry of buildApp(app, outDir)) console.log(`built ${relative(workspaceRoot, entry)}`);
}
