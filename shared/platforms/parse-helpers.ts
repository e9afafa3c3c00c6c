import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { CommentEvent, type CommentEventKind, type Comment as DomainComment } from '../domain/comment.ts';
import { ValidationError } from '../domain/errors.ts';
import type { RejectedItem, SourceOutcome } from './source.ts';

/** Small pieces every platform parser shares; kept out of source.ts so that interface stays minimal. */

export function parseJsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new ValidationError('body is not valid JSON');
  }
}

/**
 * Like parseJsonBody, but an integer too large for a double (a 17-digit Meta id sent as a number)
 * arrives as its exact digits in a string instead of silently rounded. Only integer literals
 * outside strings are touched; the signature has already been checked on the raw bytes.
 */
export function parseJsonBodyExactIntegers(rawBody: Buffer): unknown {
  const text = rawBody.toString('utf8');
  // Most bodies have no unquoted run of 16 digits (ids are usually strings): skip the scan then.
  return parseJsonBody(
    /[:[,\s]-?\d{16}/.test(text) ? Buffer.from(quoteUnsafeIntegers(text), 'utf8') : rawBody,
  );
}

function quoteUnsafeIntegers(json: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== '-' && (c === undefined || c < '0' || c > '9')) continue;
    let end = i + 1;
    while (end < json.length && /[0-9.eE+-]/.test(json[end] ?? '')) end++;
    const literal = json.slice(i, end);
    if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
      out += `${json.slice(from, i)}"${literal}"`;
      from = end;
    }
    i = end - 1;
  }
  return out + json.slice(from);
}

export function describeZod(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'item'}: ${i.message}`)
    .join('; ');
}

/** A short, stable fingerprint of a text, for dedupe keys of edits that carry no edit time. */
export function textFingerprint(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/** Unix seconds (number or numeric string, possibly fractional as in Slack's `ts`) → ISO 8601, or undefined. */
export function unixSecondsToIso(value: unknown): string | undefined {
  const seconds = typeof value === 'string' && /^\d{1,12}(\.\d{1,9})?$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > 1e11)
    return undefined;
  return new Date(Math.floor(seconds * 1000)).toISOString();
}

/** Any date string `Date` understands (ISO 8601, X's `Wed Oct 10 20:19:24 +0000 2018`) → ISO 8601, or undefined. */
export function dateToIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

export interface DraftEvent {
  kind: CommentEventKind;
  dedupeKey: string;
  comment: DomainComment;
}

/**
 * Collects per-item results of one payload. Every event is checked against the queue contract
 * before it is kept, so a surprising payload becomes a rejection, never a malformed message.
 */
export class BatchCollector {
  readonly events: CommentEvent[] = [];
  readonly rejected: RejectedItem[] = [];
  /** Items verified and understood that carry nothing to enqueue, with the reason. */
  readonly skipped: RejectedItem[] = [];
  private readonly receivedAt: string;

  constructor(now: Date) {
    this.receivedAt = now.toISOString();
  }

  add(index: number, draft: DraftEvent): void {
    const parsed = CommentEvent.safeParse({ version: 1, ...draft, receivedAt: this.receivedAt });
    if (parsed.success) this.events.push(parsed.data);
    else this.reject(index, describeZod(parsed.error));
  }

  reject(index: number, reason: string): void {
    this.rejected.push({ index, reason });
  }

  skip(index: number, reason: string): void {
    this.skipped.push({ index, reason });
  }

  /**
   * Events when there are any; a 400 naming the problems when every item was bad (unless
   * `acknowledgeRejections`: then the rejections are reported with `status`, as platforms that
   * retry any other answer for days want); otherwise (only non-comment items: likes, bot
   * messages...) an acknowledged, ignored delivery naming what was skipped.
   */
  outcome(
    status: number,
    ignoredReason: string,
    options: { acknowledgeRejections?: boolean } = {},
  ): SourceOutcome {
    if (this.events.length > 0 || (this.rejected.length > 0 && options.acknowledgeRejections))
      return { kind: 'events', status, events: this.events, rejected: this.rejected };
    if (this.rejected.length > 0) {
      const reasons = this.rejected
        .slice(0, 5)
        .map((r) => `[${r.index}] ${r.reason}`)
        .join('; ');
      throw new ValidationError(`no valid comment in the body: ${reasons}`);
    }
    const skipped = this.skipped
      .slice(0, 5)
      .map((r) => `[${r.index}] ${r.reason}`)
      .join('; ');
    return { kind: 'ignored', status, reason: skipped ? `${ignoredReason}: ${skipped}` : ignoredReason };
  }
}

/** Turns an unknown error thrown while parsing one item into a rejection reason (never rethrows). */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : 'unreadable item';
}
