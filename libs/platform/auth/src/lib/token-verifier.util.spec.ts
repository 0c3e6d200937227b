import { exportJWK, generateKeyPair, SignJWT } from 'jose';

import { mintDevelopmentToken } from './token-minting.util';
import { createTokenVerifier, InvalidTokenError } from './token-verifier.util';

const secret = 'a-test-secret-that-is-at-least-32-chars';
const checks = { issuer: 'implant-trace-test', audience: 'implant-trace' };
const verify = createTokenVerifier({ secret, ...checks });

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('createTokenVerifier (HS256)', () => {
  it('returns the principal of a good token', async () => {
    const token = await mintDevelopmentToken({ secret, role: 'theatre', ods: 'RXH01', ...checks });
    await expect(verify(token)).resolves.toEqual({
      sub: 'dev-theatre-RXH01',
      role: 'theatre',
      ods: 'RXH01',
    });
  });

  it('refuses an expired token', async () => {
    const token = await mintDevelopmentToken({
      secret,
      role: 'regulator',
      expiresInSeconds: -60,
      ...checks,
    });
    await expect(verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('refuses a token signed with another secret, or for another issuer or audience', async () => {
    const tokens = await Promise.all([
      mintDevelopmentToken({ secret: `${secret}-other`, role: 'regulator', ...checks }),
      mintDevelopmentToken({ secret, role: 'regulator', ...checks, issuer: 'someone-else' }),
      mintDevelopmentToken({ secret, role: 'regulator', ...checks, audience: 'another-app' }),
    ]);
    for (const token of tokens) await expect(verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('refuses alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: 'x',
      role: 'admin',
      iss: checks.issuer,
      aud: checks.audience,
      exp: now + 60,
    };
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
    await expect(verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('refuses an RS256 token when only HS256 is configured', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('x')
      .setIssuer(checks.issuer)
      .setAudience(checks.audience)
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('refuses good signatures over bad claims (scoped role without ods)', async () => {
    const token = await mintDevelopmentToken({ secret, role: 'hospital-system', ...checks });
    await expect(verify(token)).rejects.toThrow(/ods/);
  });
});

describe('createTokenVerifier (JWKS)', () => {
  it('accepts ES256 tokens from the key set and refuses HS256 ones', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const server = await import('node:http').then(({ createServer }) =>
      createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const jwksVerify = createTokenVerifier({
        jwksUrl: `http://127.0.0.1:${port}/jwks`,
        ...checks,
      });
      const good = await new SignJWT({ role: 'regulator' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject('r1')
        .setIssuer(checks.issuer)
        .setAudience(checks.audience)
        .setExpirationTime('1h')
        .sign(privateKey);
      await expect(jwksVerify(good)).resolves.toEqual({ sub: 'r1', role: 'regulator' });
      const hs = await mintDevelopmentToken({ secret, role: 'regulator', ...checks });
      await expect(jwksVerify(hs)).rejects.toThrow(InvalidTokenError);
    } finally {
      server.close();
    }
  });
});
