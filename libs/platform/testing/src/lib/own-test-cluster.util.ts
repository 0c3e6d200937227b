import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const clusterScript = join(__dirname, '..', '..', '..', '..', '..', 'tools', 'kafka', 'cluster.sh');
/** cluster.sh's three nodes each take a broker and a controller port, one after the other. */
const NODES = [1, 2, 3] as const;
const PORTS_PER_CLUSTER = NODES.length * 2;

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first port of a run of free ones: cluster.sh numbers its nodes' ports from one base, so
 * they must be consecutive, which ports the system hands out one at a time never are.
 * KAFKA_CLUSTER_PORT chooses the base instead (a shared machine's allotted range).
 */
async function freeBasePort(): Promise<number> {
  const fixed = process.env['KAFKA_CLUSTER_PORT'];
  if (fixed !== undefined && fixed !== '') return Number(fixed);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const ports = Array.from({ length: PORTS_PER_CLUSTER }, (_, i) => base + i);
    if ((await Promise.all(ports.map(bindable))).every(Boolean)) return base;
  }
  throw new Error(`no ${PORTS_PER_CLUSTER} consecutive free ports found for a Kafka cluster`);
}

export type ClusterNode = (typeof NODES)[number];

export interface OwnTestCluster {
  /** Every node's broker address, node 1 first: the bootstrap list. */
  brokers: string[];
  /** The broker address of a node (its node.id, which metadata names leaders by). */
  brokerOf(node: ClusterNode): string;
  /** SIGKILLs the nodes, all at once, keeping their storage: a crash. */
  kill(...nodes: ClusterNode[]): Promise<void>;
  /** Starts the nodes again on their storage; resolves once every node lists all three. */
  restart(...nodes: ClusterNode[]): Promise<void>;
  /** Stops every node and removes the cluster's folder. */
  stop(): Promise<void>;
}

/**
 * A three-node KRaft cluster of its own through `tools/kafka/cluster.sh` (replication factor 3
 * and min.insync.replicas 2 by default), in a temporary folder, so the shared broker is never
 * touched. Should this process die before `stop()`, each node's watchdog stops it.
 */
export async function startOwnTestCluster(): Promise<OwnTestCluster> {
  const directory = await mkdtemp(join(tmpdir(), 'implant-trace-kafka-cluster-'));
  const base = await freeBasePort();
  const env = {
    ...process.env,
    KAFKA_CLUSTER_PORT: String(base),
    KAFKA_CLUSTER_STATE_DIR: join(directory, 'state'),
    KAFKA_STOP_WITH_PID: String(process.pid),
  };
  const script = (...args: string[]) => run('bash', [clusterScript, ...args], { env });
  const brokerOf = (node: ClusterNode) => `127.0.0.1:${base + 2 * (node - 1)}`;
  const stop = async () => {
    try {
      await script('stop');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  };
  try {
    await script('start');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    brokers: NODES.map(brokerOf),
    brokerOf,
    kill: async (...nodes) => {
      await script('kill', ...nodes.map(String));
    },
    restart: async (...nodes) => {
      await script('start', ...nodes.map(String));
    },
    stop,
  };
}
