import * as oauth from 'oauth4webapi';

import type { ClientConfig, Role, Session } from './session';

type OidcConfig = NonNullable<ClientConfig['oidc']>;

const PENDING_KEY = 'theatre-web.oidc-pending';

async function discover(config: OidcConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oidc' }),
  );
}

/**
 * Production sign-in: the authorization code flow with PKCE (S256) of a public client, as NHS
 * CIS2 Authentication and other OpenID Connect providers offer it. The verifier, state and nonce
 * wait in sessionStorage for the redirect back; no client secret is ever in the browser.
 */
export async function startOidcSignIn(config: OidcConfig, storage: Storage): Promise<URL> {
  const as = await discover(config);
  if (as.authorization_endpoint === undefined) {
    throw new Error('The OpenID provider names no authorization endpoint');
  }
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce }));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  return url;
}

/** Whether the page was opened as the provider's redirect back. */
export function isOidcCallback(url: URL): boolean {
  return url.searchParams.has('code') || url.searchParams.has('error');
}

/**
 * Exchanges the code for tokens. The services verify the access token against the provider's
 * JWKS (AUTH_JWKS_URL); its `role` and `ods` claims, as the ID token states them, are shown.
 */
export async function completeOidcSignIn(
  config: OidcConfig,
  callbackUrl: URL,
  storage: Storage,
  now: number,
): Promise<Session> {
  const pending = storage.getItem(PENDING_KEY);
  if (pending === null) throw new Error('No sign-in was started from this browser tab');
  storage.removeItem(PENDING_KEY);
  const { verifier, state, nonce } = JSON.parse(pending) as Record<
    'verifier' | 'state' | 'nonce',
    string
  >;
  const as = await discover(config);
  const client: oauth.Client = { client_id: config.clientId };
  const params = oauth.validateAuthResponse(as, client, callbackUrl, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    config.redirectUri,
    verifier,
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: nonce,
    requireIdToken: true,
  });
  const claims = oauth.getValidatedIdTokenClaims(result);
  const role = claims?.['role'];
  const ods = claims?.['ods'];
  if (role !== 'theatre' && role !== 'regulator') {
    throw new Error('This sign-in carries no theatre or regulator role');
  }
  return {
    token: result.access_token,
    role: role as Role,
    ...(typeof ods === 'string' ? { ods } : {}),
    expiresAt: now + (result.expires_in ?? 3600) * 1000,
    via: 'oidc',
  };
}
