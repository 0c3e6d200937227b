import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const kafkaScript = join(__dirname, '..', '..', '..', '..', '..', 'tools', 'kafka', 'kafka.sh');

/** Ports free now, held together while they are chosen so no two are the same. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(
    servers.map((server) => new Promise((resolve) => server.close(() => resolve(undefined)))),
  );
  return ports;
}

export interface OwnBrokerProcess {
  /** The temporary folder holding the broker's state (and anything `kafka.sh` made for it). */
  directory: string;
  port: number;
  /** The spare ports asked for, in order. */
  spare: number[];
  /** Stops the broker and removes its folder. */
  stop(): Promise<void>;
  /** SIGKILLs the broker, keeping its folder: a crash, for fault tests. */
  kill(): Promise<void>;
  /** Starts the broker again on the same ports and state after `kill()`. */
  restart(): Promise<void>;
  /**
   * SIGSTOPs the broker: its sockets stay open and nothing answers, as a frozen host or a
   * network partition looks to a client. `thaw()` SIGCONTs it.
   */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
}

/**
 * Starts a broker of its own through `tools/kafka/kafka.sh`, in a temporary state folder on
 * free ports, so the shared broker (and whatever `npm start` keeps on it) is never touched.
 * `extraEnv` adds listeners or users for the given spare ports. Should this process die before
 * `stop()`, the script's watchdog stops the broker.
 */
export async function startOwnBrokerProcess(
  spares: number,
  extraEnv: (ports: number[]) => NodeJS.ProcessEnv,
): Promise<OwnBrokerProcess> {
  const directory = await mkdtemp(join(tmpdir(), 'implant-trace-kafka-'));
  const [port = 0, controllerPort = 0, ...spare] = await freePorts(2 + spares);
  const env = {
    ...process.env,
    KAFKA_STATE_DIR: join(directory, 'state'),
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_STOP_WITH_PID: String(process.pid),
    ...extraEnv(spare),
  };
  const stop = async () => {
    try {
      await run('bash', [kafkaScript, 'stop'], { env });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  };
  try {
    await run('bash', [kafkaScript, 'start'], { env });
  } catch (error) {
    await stop();
    throw error;
  }
  const kill = async () => {
    await run('bash', [kafkaScript, 'kill'], { env });
  };
  const restart = async () => {
    await run('bash', [kafkaScript, 'start'], { env });
  };
  const signal = async (name: 'SIGSTOP' | 'SIGCONT') => {
    const pid = Number((await readFile(join(directory, 'state', 'kafka.pid'), 'utf8')).trim());
    process.kill(pid, name);
  };
  return {
    directory,
    port,
    spare,
    stop,
    kill,
    restart,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
  };
}

/** A plain broker of its own (PLAINTEXT on 127.0.0.1), for benchmarks that recreate topics. */
export async function startOwnTestBroker(): Promise<OwnTestBroker> {
  const broker = await startOwnBrokerProcess(0, () => ({}));
  return {
    brokers: [`127.0.0.1:${broker.port}`],
    stop: broker.stop,
    kill: broker.kill,
    restart: broker.restart,
    freeze: broker.freeze,
    thaw: broker.thaw,
  };
}

export type OwnTestBroker = { brokers: string[] } & Pick<
  OwnBrokerProcess,
  'stop' | 'kill' | 'restart' | 'freeze' | 'thaw'
>;
