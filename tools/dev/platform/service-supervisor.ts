import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export interface SupervisedService {
  name: string;
  port: number;
  /** What `node` runs, relative to the workspace root. */
  args: string[];
}

export interface SupervisorOptions {
  root: string;
  env: NodeJS.ProcessEnv;
  logDirectory: string;
  /** Also copy each line of the service's JSON log to the terminal, prefixed with its name. */
  echoLogs: boolean;
  say: (line: string) => void;
}

/** The first restart waits this long; each further one twice as long, up to the cap. */
const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A service that ran this long before it crashed starts again from the first delay. */
const STABLE_AFTER_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/**
 * Runs one service as a child process, its output appended to its own log file, and starts it
 * again with a doubling backoff when it exits unasked, saying so. Node's own process
 * management is all this needs; a process manager (pm2 and the like) would be one more daemon
 * for a developer to find and stop.
 */
export class ServiceSupervisor {
  private child: ChildProcess | undefined;
  private readonly log: WriteStream;
  private restarts = 0;
  private nextDelayMs = FIRST_RESTART_DELAY_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  readonly logFile: string;

  constructor(
    readonly service: SupervisedService,
    private readonly options: SupervisorOptions,
  ) {
    this.logFile = join(options.logDirectory, `${service.name}.log`);
    this.log = createWriteStream(this.logFile, { flags: 'a' });
  }

  start(): void {
    const startedAt = Date.now();
    const child = spawn(process.execPath, this.service.args, {
      cwd: this.options.root,
      env: { ...this.options.env, PORT: String(this.service.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        if (this.options.echoLogs) {
          process.stdout.write(chunk.toString().replace(/^(?=.)/gm, `[${this.service.name}] `));
        }
      });
    }
    child.once('exit', (code, signal) => {
      this.child = undefined;
      if (this.stopping) return;
      if (Date.now() - startedAt >= STABLE_AFTER_MS) this.nextDelayMs = FIRST_RESTART_DELAY_MS;
      this.restarts += 1;
      const delay = this.nextDelayMs;
      this.nextDelayMs = Math.min(this.nextDelayMs * 2, MAX_RESTART_DELAY_MS);
      this.options.say(
        `${this.service.name} exited (${signal ?? `code ${code}`}); restart ${this.restarts} in ` +
          `${Math.round(delay / 1000)} s (log: ${this.logFile})`,
      );
      this.restartTimer = setTimeout(() => this.start(), delay);
    });
  }

  /** How many times the service has been started again after it exited unasked. */
  get restartCount(): number {
    return this.restarts;
  }

  /** Signals the running process (SIGKILL: a crash, which the supervisor restarts); false if none runs. */
  signal(signal: NodeJS.Signals): boolean {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return false;
    return child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if the service has not ended within the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}
