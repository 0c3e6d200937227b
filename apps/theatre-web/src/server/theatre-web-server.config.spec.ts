import 'reflect-metadata';

import { ConfigValidationError, loadConfig } from '@implant-trace/platform-config';

import { TheatreWebServerConfig } from './theatre-web-server.config';

const SECRET = 'a-development-secret-of-at-least-32-chars';

describe('TheatreWebServerConfig', () => {
  it('defaults to development sign-in on port 3000 with the four local services', () => {
    const config = loadConfig(TheatreWebServerConfig, { AUTH_JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      port: 3000,
      signIn: 'development',
      implantEventsUrl: 'http://127.0.0.1:3002',
      scannerGsAliases: ['{GS}'],
    });
  });

  it('refuses development sign-in in production: a production server never mints tokens', () => {
    expect(() =>
      loadConfig(TheatreWebServerConfig, { NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET }),
    ).toThrow(/THEATRE_WEB_SIGN_IN must be oidc when NODE_ENV is production/);
  });

  it('needs the provider, client id and redirect for OpenID Connect, naming each', () => {
    let problems: string[] = [];
    try {
      loadConfig(TheatreWebServerConfig, { NODE_ENV: 'production', THEATRE_WEB_SIGN_IN: 'oidc' });
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems = error.problems.map((problem) => problem.variable);
    }
    expect(problems.sort()).toEqual(['OIDC_CLIENT_ID', 'OIDC_ISSUER', 'OIDC_REDIRECT_URI']);
    expect(
      loadConfig(TheatreWebServerConfig, {
        NODE_ENV: 'production',
        THEATRE_WEB_SIGN_IN: 'oidc',
        OIDC_ISSUER:
          'https://am.nhsidentity.spineservices.nhs.uk/openam/oauth2/realms/root/realms/oidc',
        OIDC_CLIENT_ID: 'implant-trace-theatre',
        OIDC_REDIRECT_URI: 'https://theatre.example.nhs.uk/',
      }).authJwtSecret,
    ).toBeUndefined();
  });
});
