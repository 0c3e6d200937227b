// The hospitals' endpoints for the notifications benchmark: one process answering for every
// hospital on its own path (/h/<ods>), verifying every request with the standardwebhooks package
// against that hospital's secret. Configured and read over two control routes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

const verifiers = new Map<string, Webhook>();
const failing = new Set<string>();
const verifiedIds = new Set<string>();
const stats = { requests: 0, verified: 0, duplicates: 0, rejected: 0, failedAnswers: 0 };

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await bodyOf(request);
  const url = request.url ?? '';
  if (url === '/__config' && request.method === 'POST') {
    const config = JSON.parse(body) as { secrets: Record<string, string>; failing: string[] };
    for (const [ods, secret] of Object.entries(config.secrets)) {
      verifiers.set(ods, new Webhook(secret));
    }
    failing.clear();
    for (const ods of config.failing) failing.add(ods);
    verifiedIds.clear();
    Object.assign(stats, {
      requests: 0,
      verified: 0,
      duplicates: 0,
      rejected: 0,
      failedAnswers: 0,
    });
    response.writeHead(204).end();
    return;
  }
  if (url === '/__stats') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  stats.requests += 1;
  const ods = url.split('/')[2] ?? '';
  if (failing.has(ods)) {
    stats.failedAnswers += 1;
    response.writeHead(503).end();
    return;
  }
  const id = String(request.headers['webhook-id'] ?? '');
  try {
    const verifier = verifiers.get(ods);
    if (verifier === undefined) throw new Error(`no secret for ${ods}`);
    verifier.verify(body, {
      'webhook-id': id,
      'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
    });
  } catch {
    stats.rejected += 1;
    response.writeHead(401).end();
    return;
  }
  if (verifiedIds.has(`${ods}:${id}`)) stats.duplicates += 1;
  else {
    verifiedIds.add(`${ods}:${id}`);
    stats.verified += 1;
  }
  response.writeHead(204).end();
}

const server = createServer((request, response) => {
  handle(request, response).catch(() => response.writeHead(500).end());
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
