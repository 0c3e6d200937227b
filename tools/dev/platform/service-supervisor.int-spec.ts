import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { waitFor } from '@implant-trace/platform-testing';

import { ServiceSupervisor } from './service-supervisor';

/** A stand-in service: says its pid and the PORT it was given, then runs until stopped. */
const SERVICE_SCRIPT = `process.stdout.write('up ' + process.pid + ' on ' + process.env.PORT + '\\n');
process.on('SIGTERM', () => { process.stdout.write('stopping ' + process.pid + '\\n'); process.exit(0); });
setInterval(() => {}, 1000);`;

describe('ServiceSupervisor', () => {
  let directory: string;
  let supervisor: ServiceSupervisor | undefined;
  const said: string[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'supervisor-'));
    await writeFile(join(directory, 'service.js'), SERVICE_SCRIPT);
    said.length = 0;
  });

  afterEach(async () => {
    await supervisor?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  const start = () => {
    supervisor = new ServiceSupervisor(
      { name: 'stand-in', port: 4321, args: [join(directory, 'service.js')] },
      {
        root: directory,
        env: process.env,
        logDirectory: directory,
        echoLogs: false,
        say: (line) => said.push(line),
      },
    );
    supervisor.start();
    return supervisor;
  };
  const pidsInLog = async (logFile: string) =>
    [...(await readFile(logFile, 'utf8').catch(() => '')).matchAll(/^up (\d+) on 4321$/gm)].map(
      (match) => Number(match[1]),
    );

  it('starts a service killed with SIGKILL again, says so, and keeps its output in its log file', async () => {
    const running = start();
    await waitFor(async () => (await pidsInLog(running.logFile)).length === 1, {
      description: 'the first process to start',
    });
    const [first] = await pidsInLog(running.logFile);
    process.kill(first!, 'SIGKILL');
    await waitFor(async () => (await pidsInLog(running.logFile)).length === 2, {
      timeoutMs: 10_000,
      description: 'the service to be started again',
    });
    const [, second] = await pidsInLog(running.logFile);
    expect(second).not.toBe(first);
    expect(said).toEqual([`stand-in exited (SIGKILL); restart 1 in 1 s (log: ${running.logFile})`]);
  });

  it('stops the service with SIGTERM and does not start it again', async () => {
    const running = start();
    await waitFor(async () => (await pidsInLog(running.logFile)).length === 1, {
      description: 'the process to start',
    });
    const [pid] = await pidsInLog(running.logFile);
    await running.stop();
    expect(() => process.kill(pid!, 0)).toThrow(/ESRCH/);
    expect(await readFile(running.logFile, 'utf8')).toContain(`stopping ${pid}`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await pidsInLog(running.logFile)).toEqual([pid]);
    expect(said).toEqual([]);
  });
});
