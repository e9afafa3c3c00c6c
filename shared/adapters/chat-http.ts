import type { ChatPostOutcome } from '../core/ports.ts';
import type { HttpResponse } from '../platforms/pollers/poller.ts';

/**
 * The wait a 429 (or 503) asks for: `Retry-After` in seconds or as an HTTP date, in ms; undefined
 * when absent or unreadable (the dispatcher then backs off on its own).
 */
export function retryAfterMs(response: HttpResponse, now: () => number = Date.now): number | undefined {
  const value = response.headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}

/** A short, log-safe excerpt of an error body (never the URL: webhook URLs are credentials). */
export function bodyExcerpt(body: string): string {
  return body.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** The outcome every chat HTTP API shares: 429 waits, 5xx retries; the rest is the caller's to read. */
export function commonOutcome(response: HttpResponse, label: string): ChatPostOutcome | undefined {
  if (response.status === 429) {
    const afterMs = retryAfterMs(response);
    return { kind: 'retry', reason: `${label} answered 429`, ...(afterMs === undefined ? {} : { afterMs }) };
  }
  if (response.status >= 500) {
    const afterMs = retryAfterMs(response);
    return {
      kind: 'retry',
      reason: `${label} answered ${response.status} ${bodyExcerpt(response.body)}`.trim(),
      ...(afterMs === undefined ? {} : { afterMs }),
    };
  }
  return undefined;
}
