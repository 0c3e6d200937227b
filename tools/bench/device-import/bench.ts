import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateGudidFiles } from './generate-gudid-files';

/**
 * `npm run bench:device-import [-- IDENTIFIERS]`: generates GUDID-style files holding
 * IDENTIFIERS identifiers (a quarter of them devices), imports them with the real CLI into a
 * fresh schema and reports identifiers per second and the CLI's peak resident memory.
 */
const identifiers = Number(process.argv[2] ?? 1_000_000);
const devices = Math.floor(identifiers / 4);
const schema = `bench_device_import_${Date.now()}`;

async function peakRssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match === null ? 0 : Number(match[1]) * 1024;
}

async function importFile(
  file: string,
): Promise<{ seconds: number; peakRss: number; report: unknown }> {
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'apps/device-registry/src/devices-import.main.ts', file],
    {
      env: {
        ...process.env,
        DATABASE_SCHEMA: schema,
        AUTH_JWT_SECRET:
          process.env['AUTH_JWT_SECRET'] ?? 'bench-secret-of-at-least-32-characters!',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  let peakRss = 0;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const sampler = setInterval(() => {
    void peakRssOf(child.pid ?? 0).then((rss) => (peakRss = Math.max(peakRss, rss)));
  }, 200);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`import of ${file} exited with ${code}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakRss, report: JSON.parse(stdout) };
}

async function main(): Promise<void> {
  const dir = join(tmpdir(), 'implant-trace-bench');
  await mkdir(dir, { recursive: true });
  const deviceFile = join(dir, `gudid-device-${devices}.txt`);
  const identifiersFile = join(dir, `gudid-identifiers-${devices}.txt`);
  await generateGudidFiles(devices, deviceFile, identifiersFile);
  const deviceRun = await importFile(deviceFile);
  const identifierRun = await importFile(identifiersFile);
  const seconds = deviceRun.seconds + identifierRun.seconds;
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    identifiers,
    devices,
    schema,
    deviceFile: { ...deviceRun, identifiersPerSecond: Math.round(devices / deviceRun.seconds) },
    identifiersFile: {
      ...identifierRun,
      identifiersPerSecond: Math.round((identifiers - devices) / identifierRun.seconds),
    },
    total: {
      seconds,
      identifiersPerSecond: Math.round(identifiers / seconds),
      peakRssMiB: Math.round(Math.max(deviceRun.peakRss, identifierRun.peakRss) / 2 ** 20),
    },
  };
  await mkdir('docs/benchmarks', { recursive: true });
  await writeFile('docs/benchmarks/device-import.json', `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(
    'docs/benchmarks/device-import.md',
    `# Device import benchmark

\`npm run bench:device-import -- ${identifiers}\` on ${result.date} (Node ${result.node}, local
PostgreSQL). Generated GUDID-style files: ${devices.toLocaleString('en-GB')} devices
(\`device.txt\`, primary DI each) then ${(identifiers - devices).toLocaleString('en-GB')} package
identifiers (\`identifiers.txt\`), imported by \`npm run devices:import\` into an empty schema in
batches of 1,000 rows per transaction, each with its outbox events.

| file | identifiers | seconds | identifiers/s | peak RSS (MiB) |
| --- | ---: | ---: | ---: | ---: |
| device | ${devices} | ${deviceRun.seconds.toFixed(1)} | ${result.deviceFile.identifiersPerSecond} | ${Math.round(deviceRun.peakRss / 2 ** 20)} |
| identifiers | ${identifiers - devices} | ${identifierRun.seconds.toFixed(1)} | ${result.identifiersFile.identifiersPerSecond} | ${Math.round(identifierRun.peakRss / 2 ** 20)} |
| **total** | **${identifiers}** | **${seconds.toFixed(1)}** | **${result.total.identifiersPerSecond}** | **${result.total.peakRssMiB}** |

Peak RSS is the CLI process's VmHWM (includes Node and TypeORM start-up). Seconds include the
CLI's start-up. Raw figures: \`device-import.json\`. The bench schema \`${schema}\` is left for
inspection; drop it when done.
`,
  );
  process.stdout.write(`${JSON.stringify(result.total)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
