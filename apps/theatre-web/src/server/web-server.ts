import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

import { createProxyMiddleware } from 'http-proxy-middleware';

import { mintDevelopmentToken, parseDevelopmentTokenRequest } from '@implant-trace/platform-auth';

import type { TheatreWebServerConfig } from './theatre-web-server.config';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

const DEV_TOKEN_MAX_BODY = 1024;

function problem(response: ServerResponse, status: number, title: string): void {
  response.writeHead(status, { 'content-type': 'application/problem+json' });
  response.end(JSON.stringify({ type: 'about:blank', title, status }));
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > limit) reject(new Error('body too large'));
    });
    request.on('end', () => resolveBody(body));
    request.on('error', reject);
  });
}

function securityHeaders(config: TheatreWebServerConfig): Record<string, string> {
  const connect = [
    "'self'",
    ...(config.oidcIssuer === undefined ? [] : [new URL(config.oidcIssuer).origin]),
  ];
  return {
    // The camera reader compiles WebAssembly; nothing else runs that the page did not ship.
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self' 'wasm-unsafe-eval'",
      `connect-src ${connect.join(' ')}`,
      "img-src 'self' data: blob:",
      "media-src 'self' blob:",
      "style-src 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

type Proxy = (request: IncomingMessage, response: ServerResponse) => void;

/** `/api/<service>/…` to the service, without the prefix: the browser talks to one origin. */
function serviceProxies(config: TheatreWebServerConfig): Map<string, Proxy> {
  const targets: [string, string][] = [
    ['device-registry', config.deviceRegistryUrl],
    ['implant-events', config.implantEventsUrl],
    ['recall-matching', config.recallMatchingUrl],
    ['notifications', config.notificationsUrl],
  ];
  return new Map(
    targets.map(([service, target]) => {
      const middleware = createProxyMiddleware<IncomingMessage, ServerResponse>({
        target,
        changeOrigin: true,
        pathRewrite: (path) => path.slice(`/api/${service}`.length) || '/',
        on: {
          // A service that is down answers 502 as problem+json: the page's queue keeps the
          // request and sends it again, exactly as for a lost network.
          error: (_error, _request, response) => {
            if ('writeHead' in response && !response.headersSent) {
              problem(response, 502, `${service} is not reachable`);
            } else {
              response.end();
            }
          },
        },
      });
      const proxy: Proxy = (request, response) => {
        void middleware(request, response, () => problem(response, 404, 'Not found'));
      };
      return [service, proxy];
    }),
  );
}

async function serveStatic(
  config: TheatreWebServerConfig,
  path: string,
  response: ServerResponse,
): Promise<void> {
  const root = resolve(config.staticDir);
  const wanted = normalize(join(root, decodeURIComponent(path)));
  const inside = wanted.startsWith(`${root}/`) ? wanted : join(root, 'index.html');
  let file = inside;
  try {
    if (!(await stat(file)).isFile()) file = join(root, 'index.html');
  } catch {
    // Every other path is a screen of the single-page app.
    file = join(root, 'index.html');
  }
  try {
    await stat(file);
  } catch {
    problem(response, 404, 'The page is not built: run nx run theatre-web:build-dev');
    return;
  }
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  // Hashed assets never change; the page itself must always be fetched again.
  const cache = file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  response.writeHead(200, {
    'content-type': type,
    'cache-control': cache,
    ...securityHeaders(config),
  });
  createReadStream(file).pipe(response);
}

async function devToken(
  config: TheatreWebServerConfig,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const secret = config.authJwtSecret;
  if (secret === undefined) return problem(response, 404, 'Not found');
  let parsed: { role?: string; ods?: string };
  try {
    parsed = JSON.parse(await readBody(request, DEV_TOKEN_MAX_BODY)) as {
      role?: string;
      ods?: string;
    };
  } catch {
    return problem(response, 400, 'Send {role, ods?} as JSON');
  }
  try {
    const tokenRequest = parseDevelopmentTokenRequest({
      role: typeof parsed.role === 'string' ? parsed.role : undefined,
      ods: typeof parsed.ods === 'string' ? parsed.ods : undefined,
    });
    const token = await mintDevelopmentToken({
      ...tokenRequest,
      secret,
      issuer: config.authIssuer,
      audience: config.authAudience,
    });
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(
      JSON.stringify({
        token,
        expiresAt: Date.now() + (tokenRequest.expiresInSeconds ?? 3600) * 1000,
      }),
    );
  } catch (error) {
    problem(
      response,
      400,
      error instanceof Error ? (error.message.split('\n')[0] ?? 'Bad request') : 'Bad request',
    );
  }
}

/** The page, its `/api` proxy, its client settings and (development only) the token endpoint. */
export function createWebServer(config: TheatreWebServerConfig): Server {
  const proxies = serviceProxies(config);
  const clientConfig = JSON.stringify({
    signIn: config.signIn,
    ...(config.signIn === 'oidc'
      ? {
          oidc: {
            issuer: config.oidcIssuer,
            clientId: config.oidcClientId,
            redirectUri: config.oidcRedirectUri,
            scope: config.oidcScope,
          },
        }
      : {}),
    gsAliases: config.scannerGsAliases,
    wedge: {
      maxInterKeyMs: config.scannerMaxInterKeyMs,
      suffixRequired: config.scannerSuffixRequired,
    },
    hospitals:
      config.signIn === 'development'
        ? config.devHospitals.map((ods) => ({ ods, name: `Hospital ${ods}` }))
        : [],
  });
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [, first, service] = url.pathname.split('/');
    if (first === 'api') {
      const proxy = service === undefined ? undefined : proxies.get(service);
      if (proxy === undefined) return problem(response, 404, 'No such service');
      if (config.logRequests) process.stdout.write(`${request.method ?? ''} ${url.pathname}\n`);
      return proxy(request, response);
    }
    if (url.pathname === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end('{"status":"ok"}');
    }
    if (url.pathname === '/config') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return response.end(clientConfig);
    }
    if (url.pathname === '/dev/token') {
      // Only a development server has the route at all (config refuses it in production).
      if (config.signIn !== 'development' || request.method !== 'POST')
        return problem(response, 404, 'Not found');
      return void devToken(config, request, response);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return problem(response, 405, 'Method not allowed');
    return void serveStatic(config, url.pathname, response);
  });
}
