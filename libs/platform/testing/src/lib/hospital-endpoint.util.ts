import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read webhooks as loose JSON
export type Notice = Record<string, any>;

/**
 * A hospital system's webhook endpoint on loopback: keeps what its secret verifies (with the
 * `standardwebhooks` package, as a hospital would) and counts what it refused.
 */
export class HospitalEndpoint {
  readonly verified: Notice[] = [];
  refused = 0;
  secret = '';
  url = '';
  private server: Server | undefined;

  async start(): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/implant-trace`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The verified notices of one type. */
  ofType(type: string): Notice[] {
    return this.verified.filter((notice) => notice['type'] === type);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    try {
      const body = new Webhook(this.secret).verify(Buffer.concat(chunks).toString('utf8'), {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      }) as Notice;
      this.verified.push({ webhookId: request.headers['webhook-id'], ...body });
      response.writeHead(204).end();
    } catch {
      this.refused += 1;
      response.writeHead(401).end();
    }
  }
}
