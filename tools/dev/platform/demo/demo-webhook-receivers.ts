import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { WriteStream } from 'node:fs';

import { Webhook } from 'standardwebhooks';

import type { DemoHospital } from './demo-implants';

export interface DemoReceiver {
  hospital: DemoHospital;
  url: string;
  /** Set once the hospital's subscription exists: until then every request is refused. */
  secret: string | undefined;
  verified: number;
  refused: number;
}

/** Loopback ports of the receivers, one per demo hospital, clear of the services' 3001-3004. */
export const FIRST_RECEIVER_PORT = 3201;

/**
 * One HTTP server per demo hospital, standing in for its own system: it verifies each webhook's
 * Standard Webhooks signature with the hospital's secret (the `standardwebhooks` package, as a
 * hospital's system would), answers 204 when it verifies and 401 when it does not, and prints
 * what it received.
 */
export class DemoWebhookReceivers {
  readonly receivers: DemoReceiver[];
  private readonly servers: Server[] = [];

  constructor(
    hospitals: readonly DemoHospital[],
    private readonly print: (line: string) => void,
    private readonly log: WriteStream,
  ) {
    this.receivers = hospitals.map((hospital, index) => ({
      hospital,
      url: `http://127.0.0.1:${FIRST_RECEIVER_PORT + index}/webhooks/implant-trace`,
      secret: undefined,
      verified: 0,
      refused: 0,
    }));
  }

  async listen(): Promise<void> {
    await Promise.all(
      this.receivers.map((receiver, index) => {
        const server = createServer((request, response) => {
          const chunks: Buffer[] = [];
          request.on('data', (chunk: Buffer) => chunks.push(chunk));
          request.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            response.statusCode = this.receive(receiver, body, request.headers) ? 204 : 401;
            response.end();
          });
        });
        this.servers.push(server);
        return new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(FIRST_RECEIVER_PORT + index, '127.0.0.1', () => resolve());
        });
      }),
    );
  }

  private receive(
    receiver: DemoReceiver,
    body: string,
    headers: Record<string, string | string[] | undefined>,
  ): boolean {
    const flat = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, String(value ?? '')]),
    );
    let event: {
      type?: string;
      sequence?: number;
      subject?: string;
      data?: Record<string, unknown>;
    };
    try {
      if (receiver.secret === undefined) throw new Error('no secret yet');
      event = new Webhook(receiver.secret).verify(body, flat) as typeof event;
    } catch (error) {
      receiver.refused += 1;
      this.log.write(`${receiver.hospital.ods} refused ${flat['webhook-id']}: ${String(error)}\n`);
      this.print(
        `webhook for ${receiver.hospital.ods} NOT verified (${String(error)}): answered 401`,
      );
      return false;
    }
    receiver.verified += 1;
    this.log.write(`${receiver.hospital.ods} ${body}\n`);
    const recall = event.data?.['recallId'];
    this.print(
      `webhook for ${receiver.hospital.ods}: ${event.type} #${event.sequence ?? '?'} verified` +
        (typeof recall === 'string' ? ` (recall ${recall})` : ''),
    );
    return true;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
}
