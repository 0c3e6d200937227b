import { mintDevelopmentToken } from '@implant-trace/platform-auth';
import type { Role } from '@implant-trace/platform-auth';

export interface PlatformAuth {
  secret: string;
  issuer: string;
  audience: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** Calls the running services over HTTP as a user with a development token. */
export class PlatformClient {
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(private readonly auth: PlatformAuth) {}

  token(role: Role, ods?: string, sub?: string): Promise<string> {
    const key = `${role}|${ods ?? ''}|${sub ?? ''}`;
    let token = this.tokens.get(key);
    if (token === undefined) {
      token = mintDevelopmentToken({
        ...this.auth,
        role,
        ...(ods === undefined ? {} : { ods }),
        ...(sub === undefined ? {} : { sub }),
        expiresInSeconds: 12 * 3600,
      });
      this.tokens.set(key, token);
    }
    return token;
  }

  async call(
    url: string,
    {
      method = 'GET',
      body,
      bearer,
      idempotencyKey,
    }: { method?: string; body?: unknown; bearer: string; idempotencyKey?: string },
  ): Promise<ApiResponse> {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: the text itself is the most useful thing to show.
    }
    return { status: response.status, body: parsed };
  }
}
