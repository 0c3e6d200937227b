import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { startOwnBrokerProcess } from './own-test-broker.util';

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
  /** The KAFKA_* variables of a service that reaches it over SASL_SSL with SCRAM-SHA-512. */
  scramVariables: Record<string, string>;
  /** Stops the broker and removes its state, certificates included. */
  stop(): Promise<void>;
}

/**
 * Starts a broker of its own through `tools/kafka/kafka.sh`, in a temporary state folder on
 * free ports, so the shared broker is never touched. The certificates are made by keytool for
 * this run only. Should this process die before `stop()`, the script's watchdog stops the
 * broker.
 */
export async function startSecureTestBroker(): Promise<SecureTestBroker> {
  const scramUsername = 'it-scram-user';
  const scramPassword = randomBytes(18).toString('hex');
  const broker = await startOwnBrokerProcess(2, ([sslPort, saslSslPort]) => ({
    KAFKA_SSL_PORT: String(sslPort),
    KAFKA_SASL_SSL_PORT: String(saslSslPort),
    KAFKA_SCRAM_USER: scramUsername,
    KAFKA_SCRAM_PASSWORD: scramPassword,
  }));
  const [sslPort, saslSslPort] = broker.spare;
  const tls = join(broker.directory, 'state', 'tls');
  const saslSslBrokers = [`127.0.0.1:${saslSslPort}`];
  return {
    sslBrokers: [`127.0.0.1:${sslPort}`],
    saslSslBrokers,
    caFile: join(tls, 'ca.pem'),
    clientCertFile: join(tls, 'client.pem'),
    clientKeyFile: join(tls, 'client-key.pem'),
    scramUsername,
    scramPassword,
    scramVariables: {
      KAFKA_BROKERS: saslSslBrokers.join(','),
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA: join(tls, 'ca.pem'),
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: scramUsername,
      KAFKA_SASL_PASSWORD: scramPassword,
    },
    stop: broker.stop,
  };
}
