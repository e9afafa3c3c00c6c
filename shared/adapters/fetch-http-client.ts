import { DependencyError } from '../domain/errors.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../platforms/pollers/poller.ts';

/** The run's time is spent: stop before Lambda kills the invocation, with every finished page saved. */
export class RunBudgetSpentError extends Error {
  override name = 'RunBudgetSpentError';
}

export interface FetchHttpClientOptions {
  /** Abort one request after this long. */
  timeoutMs: number;
  /** Epoch ms after which no new request starts (the invocation's deadline minus a margin). */
  stopAt?: number;
  /** Largest response body read, in bytes; a bigger one is a platform failure, not something to buffer. */
  maxBodyBytes?: number;
  now?: () => number;
}

const DEFAULT_MAX_BODY = 8 * 1024 * 1024;

/** The pollers' HTTP client on Node's global fetch, with a per-request timeout and a run deadline. */
export class FetchHttpClient implements HttpClient {
  constructor(private readonly options: FetchHttpClientOptions) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    const now = (this.options.now ?? Date.now)();
    if (this.options.stopAt !== undefined && now >= this.options.stopAt) {
      throw new RunBudgetSpentError(`no time left for ${request.method} ${new URL(request.url).host}`);
    }
    const host = new URL(request.url).host;
    let response: Response;
    let body: string;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      body = await response.text();
    } catch (cause) {
      // Never the URL itself: API keys travel in its query string.
      throw new DependencyError(`${request.method} ${host} failed: ${(cause as Error).message}`, { cause });
    }
    if (Buffer.byteLength(body) > (this.options.maxBodyBytes ?? DEFAULT_MAX_BODY)) {
      throw new DependencyError(`${request.method} ${host} answered a body larger than allowed`);
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, body };
  }
}
