import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const kafkaScript = join(__dirname, '..', '..', '..', '..', '..', 'tools', 'kafka', 'kafka.sh');

/** A second local broker with an SSL (mutual TLS) and a SASL_SSL (SCRAM) listener. */
export interface SecureTestBroker {
  /** Bootstrap list of the SSL listener, which demands a client certificate. */
  sslBrokers: string[];
  /** Bootstrap list of the SASL_SSL listener (SCRAM-SHA-256 and SCRAM-SHA-512). */
  saslSslBrokers: string[];
  /** PEM files made for this broker: the CA that signed everything, a client's cert and key. */
  caFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  scramUsername: string;
  scramPassword: string;
  /** Stops the broker and removes its state, certificates included. */
  stop(): Promise<void>;
}

/** Ports free now, held together while they are chosen so no two are the same. */
async function freePorts(count: number): Promise<number[]> {
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

/**
 * Starts a broker of its own through `tools/kafka/kafka.sh`, in a temporary state folder on
 * free ports, so the shared broker is never touched. The certificates are made by keytool for
 * this run only. Should this process die before `stop()`, the script's watchdog stops the
 * broker.
 */
export async function startSecureTestBroker(): Promise<SecureTestBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'implant-trace-kafka-tls-'));
  const [port, controllerPort, sslPort, saslSslPort] = await freePorts(4);
  const scramUsername = 'it-scram-user';
  const scramPassword = randomBytes(18).toString('hex');
  const env = {
    ...process.env,
    KAFKA_STATE_DIR: join(dir, 'state'),
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_SSL_PORT: String(sslPort),
    KAFKA_SASL_SSL_PORT: String(saslSslPort),
    KAFKA_SCRAM_USER: scramUsername,
    KAFKA_SCRAM_PASSWORD: scramPassword,
    KAFKA_STOP_WITH_PID: String(process.pid),
  };
  const stop = async () => {
    try {
      await run('bash', [kafkaScript, 'stop'], { env });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  try {
    await run('bash', [kafkaScript, 'start'], { env });
  } catch (error) {
    await stop();
    throw error;
  }
  const tls = join(dir, 'state', 'tls');
  return {
    sslBrokers: [`127.0.0.1:${sslPort}`],
    saslSslBrokers: [`127.0.0.1:${saslSslPort}`],
    caFile: join(tls, 'ca.pem'),
    clientCertFile: join(tls, 'client.pem'),
    clientKeyFile: join(tls, 'client-key.pem'),
    scramUsername,
    scramPassword,
    stop,
  };
}
