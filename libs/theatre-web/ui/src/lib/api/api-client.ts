import type { SendResult } from '@implant-trace/theatre-web-domain';

/** The four services, as the page's server proxies them under `/api/<service>/…`. */
export type ServiceName =
  'device-registry' | 'implant-events' | 'recall-matching' | 'notifications';

export function servicePath(service: ServiceName, path: string): string {
  return `/api/${service}${path}`;
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

/** A problem+json answer, or a network failure (`status` 0), thrown by `ApiClient.call`. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }

  /** Every failing field of a 400, as the services name them. */
  get fieldErrors(): { field: string; message: string }[] {
    const errors = (this.body as { errors?: unknown } | null)?.errors;
    return Array.isArray(errors) ? (errors as { field: string; message: string }[]) : [];
  }
}

function problemMessage(status: number, body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const { title, detail } = body as { title?: unknown; detail?: unknown };
    const parts = [title, detail].filter((part): part is string => typeof part === 'string');
    if (parts.length > 0) return parts.join(': ');
  }
  return status === 0 ? 'The service could not be reached' : `The service answered ${status}`;
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** A raw body (a file), sent as is with `contentType`. */
  rawBody?: Blob | string;
  contentType?: string;
  idempotencyKey?: string;
}

export class ApiClient {
  constructor(
    private readonly getToken: () => string | undefined,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  private headers(options: CallOptions): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.getToken();
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.rawBody !== undefined)
      headers['content-type'] = options.contentType ?? 'text/plain';
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    return headers;
  }

  /** One request; network failures come back as `{ kind: 'unreachable' }`, never thrown. */
  async send(path: string, options: CallOptions = {}): Promise<SendResult> {
    let response: Response;
    try {
      response = await this.fetchImpl(path, {
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        headers: this.headers(options),
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.rawBody === undefined ? {} : { body: options.rawBody }),
      });
    } catch (error) {
      return {
        kind: 'unreachable',
        problem: error instanceof Error ? error.message : String(error),
      };
    }
    return { kind: 'answered', status: response.status, body: await bodyOf(response) };
  }

  /** One request whose non-2xx answer (or failure to reach the service) throws `ApiProblem`. */
  async call<T>(path: string, options: CallOptions = {}): Promise<T> {
    const result = await this.send(path, options);
    if (result.kind === 'unreachable') throw new ApiProblem(0, null, result.problem);
    if (result.status < 200 || result.status >= 300) {
      throw new ApiProblem(result.status, result.body, problemMessage(result.status, result.body));
    }
    return result.body as T;
  }

  /**
   * Sends a file with upload progress (fetch reports none), resolving with the answer: the
   * catalogue import streams hundreds of thousands of rows.
   */
  upload<T>(
    path: string,
    file: Blob,
    contentType: string,
    onProgress: (fraction: number) => void,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', path);
      const token = this.getToken();
      if (token !== undefined) request.setRequestHeader('authorization', `Bearer ${token}`);
      request.setRequestHeader('content-type', contentType);
      request.setRequestHeader('accept', 'application/json');
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      request.onerror = () => reject(new ApiProblem(0, null, 'The service could not be reached'));
      request.onload = () => {
        let body: unknown = request.responseText;
        try {
          body = JSON.parse(request.responseText) as unknown;
        } catch {
          // Not JSON: kept as text for the message.
        }
        if (request.status >= 200 && request.status < 300) {
          onProgress(1);
          resolve(body as T);
        } else {
          reject(new ApiProblem(request.status, body, problemMessage(request.status, body)));
        }
      };
      request.send(file);
    });
  }
}
