/**
 * @jest-environment node
 */
import { startOidcSignIn, isOidcCallback } from './oidc-sign-in';

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const ISSUER = 'https://idp.example.nhs.uk/realms/oidc';

describe('OpenID Connect sign-in', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('sends the person to the provider with the code flow and a PKCE S256 challenge, no secret', async () => {
    const asked: string[] = [];
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      asked.push(String(input));
      return new Response(
        JSON.stringify({
          issuer: ISSUER,
          authorization_endpoint: `${ISSUER}/authorize`,
          token_endpoint: `${ISSUER}/token`,
          jwks_uri: `${ISSUER}/jwks`,
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    }) as typeof fetch;
    const storage = new MemoryStorage();
    const url = await startOidcSignIn(
      {
        issuer: ISSUER,
        clientId: 'theatre',
        redirectUri: 'https://theatre.example.nhs.uk/',
        scope: 'openid profile',
      },
      storage as unknown as Storage,
    );

    expect(asked).toEqual([`${ISSUER}/.well-known/openid-configuration`]);
    expect(`${url.origin}${url.pathname}`).toBe(`${ISSUER}/authorize`);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      client_id: 'theatre',
      redirect_uri: 'https://theatre.example.nhs.uk/',
      response_type: 'code',
      scope: 'openid profile',
      code_challenge_method: 'S256',
    });
    expect(params['code_challenge']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params).not.toHaveProperty('client_secret');
    // The verifier, state and nonce wait for the redirect back, and match what was sent.
    const pending = JSON.parse(storage.getItem('theatre-web.oidc-pending') ?? '{}') as Record<
      string,
      string
    >;
    expect(pending['state']).toBe(params['state']);
    expect(pending['nonce']).toBe(params['nonce']);
    expect(pending['verifier']).not.toBe(params['code_challenge']);
    expect(isOidcCallback(new URL('https://theatre.example.nhs.uk/?code=abc&state=x'))).toBe(true);
    expect(isOidcCallback(new URL('https://theatre.example.nhs.uk/#/scan'))).toBe(false);
  });
});
