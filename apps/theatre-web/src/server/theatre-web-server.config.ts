import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidatorConstraint,
} from 'class-validator';
import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator';

import {
  EnvVariable,
  RUNTIME_ENVIRONMENTS,
  type RuntimeEnvironment,
} from '@implant-trace/platform-config';

export const SIGN_IN_MODES = ['development', 'oidc'] as const;
export type SignInMode = (typeof SIGN_IN_MODES)[number];

const upstream = { require_tld: false, protocols: ['http', 'https'] };

/** A production server never mints tokens: development sign-in there is a boot error. */
@ValidatorConstraint({ name: 'productionSignIn' })
class ProductionSignIn implements ValidatorConstraintInterface {
  validate(signIn: unknown, { object }: ValidationArguments): boolean {
    return (object as TheatreWebServerConfig).environment !== 'production' || signIn === 'oidc';
  }

  defaultMessage(): string {
    return 'THEATRE_WEB_SIGN_IN must be oidc when NODE_ENV is production';
  }
}

/**
 * The page's server: where the four services are, how people sign in, and the trust's scanner
 * settings. Not a service config (no database, broker or cache): only static files, the proxy
 * and, in development, the token endpoint.
 */
export class TheatreWebServerConfig {
  @EnvVariable({ name: 'NODE_ENV', description: 'development, test or production' })
  @IsIn(RUNTIME_ENVIRONMENTS)
  environment: RuntimeEnvironment = 'development';

  @EnvVariable({ name: 'PORT', description: 'Port of the page and its /api proxy' })
  @IsInt()
  @Min(1)
  @Max(65535)
  port: number = 3000;

  @EnvVariable({
    name: 'THEATRE_WEB_STATIC_DIR',
    description: 'The built page (vite build output)',
  })
  @IsString()
  staticDir = 'dist/apps/theatre-web/public-dev';

  @EnvVariable({ name: 'DEVICE_REGISTRY_URL', description: 'device-registry base URL' })
  @IsUrl(upstream)
  deviceRegistryUrl = 'http://127.0.0.1:3001';

  @EnvVariable({ name: 'IMPLANT_EVENTS_URL', description: 'implant-events base URL' })
  @IsUrl(upstream)
  implantEventsUrl = 'http://127.0.0.1:3002';

  @EnvVariable({ name: 'RECALL_MATCHING_URL', description: 'recall-matching base URL' })
  @IsUrl(upstream)
  recallMatchingUrl = 'http://127.0.0.1:3003';

  @EnvVariable({ name: 'NOTIFICATIONS_URL', description: 'notifications base URL' })
  @IsUrl(upstream)
  notificationsUrl = 'http://127.0.0.1:3004';

  @EnvVariable({
    name: 'THEATRE_WEB_SIGN_IN',
    description: 'development (role and hospital picker, never in production) or oidc',
  })
  @IsIn(SIGN_IN_MODES)
  @Validate(ProductionSignIn)
  signIn: SignInMode = 'development';

  @EnvVariable({
    name: 'AUTH_JWT_SECRET',
    description: 'HS256 secret of development tokens',
    secret: true,
  })
  @ValidateIf((config: TheatreWebServerConfig) => config.signIn === 'development')
  @IsString({ message: 'AUTH_JWT_SECRET is required for development sign-in' })
  @MinLength(32)
  authJwtSecret?: string;

  @EnvVariable({ name: 'AUTH_ISSUER', description: 'Issuer (iss) of development tokens' })
  @IsString()
  authIssuer = 'implant-trace-dev';

  @EnvVariable({ name: 'AUTH_AUDIENCE', description: 'Audience (aud) of development tokens' })
  @IsString()
  authAudience = 'implant-trace';

  @EnvVariable({ name: 'OIDC_ISSUER', description: 'OpenID provider issuer URL (e.g. NHS CIS2)' })
  @ValidateIf((config: TheatreWebServerConfig) => config.signIn === 'oidc')
  @IsUrl({ protocols: ['https'], require_tld: false })
  oidcIssuer?: string;

  @EnvVariable({
    name: 'OIDC_CLIENT_ID',
    description: 'The public client id registered with the provider',
  })
  @ValidateIf((config: TheatreWebServerConfig) => config.signIn === 'oidc')
  @IsString()
  oidcClientId?: string;

  @EnvVariable({
    name: 'OIDC_REDIRECT_URI',
    description: 'Where the provider sends people back (this page)',
  })
  @ValidateIf((config: TheatreWebServerConfig) => config.signIn === 'oidc')
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  oidcRedirectUri?: string;

  @EnvVariable({ name: 'OIDC_SCOPE', description: 'Scopes asked for' })
  @IsString()
  oidcScope = 'openid profile';

  @EnvVariable({
    name: 'SCANNER_GS_ALIASES',
    description: "Comma-separated strings this trust's scanners send in place of GS, e.g. {GS}",
  })
  @IsOptional()
  @IsString({ each: true })
  scannerGsAliases: string[] = ['{GS}'];

  @EnvVariable({
    name: 'SCANNER_MAX_INTER_KEY_MS',
    description: 'Longest gap between two characters of one wedge scan (ms)',
  })
  @IsInt()
  @Min(5)
  @Max(500)
  scannerMaxInterKeyMs: number = 40;

  @EnvVariable({
    name: 'SCANNER_SUFFIX_REQUIRED',
    description: 'The scanners end each scan with Enter or Tab (a scan in pieces is refused)',
  })
  @IsBoolean()
  scannerSuffixRequired: boolean = true;

  @EnvVariable({
    name: 'DEV_HOSPITALS',
    description: 'ODS codes offered by the development sign-in, comma-separated',
  })
  @IsString({ each: true })
  devHospitals: string[] = ['RXH01', 'RYJ02'];

  @EnvVariable({ name: 'THEATRE_WEB_LOG_REQUESTS', description: 'Log every proxied request' })
  @IsBoolean()
  logRequests: boolean = false;
}
