import 'reflect-metadata';

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jwtVerify } from 'jose';

import { loadConfig } from '@implant-trace/platform-config';

import { TheatreWebServerConfig } from './theatre-web-server.config';
import { createWebServer } from './web-server';

const SECRET = 'a-development-secret-of-at-least-32-chars';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('theatre-web server', () => {
  const seen: { url: string; authorization: string | undefined; key: string | undefined }[] = [];
  const upstream = createServer((request, response) => {
    seen.push({
      url: request.url ?? '',
      authorization: request.headers.authorization,
      key: request.headers['idempotency-key'] as string | undefined,
    });
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end('{"implantId":"i1"}');
  });
  let upstreamUrl: string;
  let staticDir: string;

  beforeAll(async () => {
    upstreamUrl = await listen(upstream);
    staticDir = await mkdtemp(join(tmpdir(), 'theatre-web-'));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>page</title>');
  });
  afterAll(() => close(upstream));

  async function running(
    env: Record<string, string>,
  ): Promise<{ base: string; stop(): Promise<void> }> {
    const config = loadConfig(TheatreWebServerConfig, {
      THEATRE_WEB_STATIC_DIR: staticDir,
      ...env,
    });
    const server = createWebServer(config);
    const base = await listen(server);
    return { base, stop: () => close(server) };
  }

  it('proxies /api/<service>/… to the service without the prefix, headers and all', async () => {
    const page = await running({ AUTH_JWT_SECRET: SECRET, IMPLANT_EVENTS_URL: upstreamUrl });
    try {
      const response = await fetch(`${page.base}/api/implant-events/v1/implants?x=1`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer t',
          'idempotency-key': 'k1',
          'content-type': 'application/json',
        },
        body: '{}',
      });
      expect(response.status).toBe(201);
      expect(seen.at(-1)).toEqual({
        url: '/v1/implants?x=1',
        authorization: 'Bearer t',
        key: 'k1',
      });
    } finally {
      await page.stop();
    }
  });

  it('answers 502 problem+json when a service is down, so the page queues and retries', async () => {
    const down = createServer();
    const downUrl = await listen(down);
    await close(down);
    const page = await running({ AUTH_JWT_SECRET: SECRET, DEVICE_REGISTRY_URL: downUrl });
    try {
      const response = await fetch(`${page.base}/api/device-registry/v1/devices`);
      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await fetch(`${page.base}/api/nothing/v1`).then((r) => r.status)).toBe(404);
    } finally {
      await page.stop();
    }
  });

  it('mints development tokens the services accept, and serves the page for every screen', async () => {
    const page = await running({
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: 'iss-1',
      AUTH_AUDIENCE: 'aud-1',
    });
    try {
      const minted = (await fetch(`${page.base}/dev/token`, {
        method: 'POST',
        body: JSON.stringify({ role: 'theatre', ods: 'RXH01' }),
      }).then((r) => r.json())) as { token: string };
      const { payload } = await jwtVerify(minted.token, new TextEncoder().encode(SECRET), {
        issuer: 'iss-1',
        audience: 'aud-1',
      });
      expect(payload).toMatchObject({ role: 'theatre', ods: 'RXH01' });
      const refused = await fetch(`${page.base}/dev/token`, {
        method: 'POST',
        body: '{"role":"theatre"}',
      });
      expect(refused.status).toBe(400);
      const screen = await fetch(`${page.base}/scan`);
      expect(await screen.text()).toContain('<title>page</title>');
      expect(screen.headers.get('content-security-policy')).toContain("default-src 'self'");
    } finally {
      await page.stop();
    }
  });

  it('has no token endpoint at all with OpenID Connect sign-in', async () => {
    const page = await running({
      THEATRE_WEB_SIGN_IN: 'oidc',
      OIDC_ISSUER: 'https://idp.example.nhs.uk',
      OIDC_CLIENT_ID: 'theatre',
      OIDC_REDIRECT_URI: 'https://theatre.example.nhs.uk/',
    });
    try {
      const response = await fetch(`${page.base}/dev/token`, {
        method: 'POST',
        body: '{"role":"regulator"}',
      });
      expect(response.status).toBe(404);
      const config = (await fetch(`${page.base}/config`).then((r) => r.json())) as Record<
        string,
        unknown
      >;
      expect(config).toMatchObject({
        signIn: 'oidc',
        oidc: { clientId: 'theatre' },
        hospitals: [],
      });
    } finally {
      await page.stop();
    }
  });
});
