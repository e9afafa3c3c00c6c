import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CommunityConfig, SourceConfig } from '../config/schema.ts';
import type { CommentEvent, Platform } from '../domain/comment.ts';
import { AuthError } from '../domain/errors.ts';

/** An HTTP call from a platform, as the ingest function sees it. Header names are lower-case. */
export interface WebhookRequest {
  method: string;
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  /** The exact bytes received: signatures are computed over these, never over re-serialised JSON. */
  rawBody: Buffer;
}

/** Keys a source needs, read from the secret named in the config (JSON `{signingKey, verifyToken}` or a plain string). */
export interface SourceSecret {
  signingKey: string;
  /** Meta's hub.verify_token; unused by other sources. */
  verifyToken?: string;
  /** Slack's bot token (`xoxb-…`, scope `users:read`), to look up author names; optional. */
  botToken?: string;
}

export interface SourceContext {
  source: SourceConfig;
  community: CommunityConfig;
  secret: SourceSecret;
  now: Date;
}

/** A payload item the source could not turn into a comment; the others still go through. */
export interface RejectedItem {
  index: number;
  reason: string;
}

export type SourceOutcome =
  /** The platform's handshake (URL verification, CRC, ping): answer exactly this, enqueue nothing. */
  | { kind: 'handshake'; status: number; contentType: string; body: string }
  /** Verified comment events to enqueue; `status` is what the platform expects on success. */
  | { kind: 'events'; status: number; events: CommentEvent[]; rejected: RejectedItem[] }
  /** Verified, but nothing the product acts on (a bot message, an unrelated event type). */
  | { kind: 'ignored'; status: number; reason: string };

/**
 * One platform's webhook rules. Each platform is one file implementing this: verify the call
 * (throwing AuthError), answer its handshake, parse its payload (throwing ValidationError when
 * the whole body is unusable, reporting per-item rejections otherwise).
 */
export interface Source {
  readonly type: string;
  readonly platforms: readonly Platform[];
  handle(request: WebhookRequest, context: SourceContext): SourceOutcome;
  /**
   * Optional, after `handle` and before the events are enqueued: fills in what the payload lacks
   * from the platform's API (Slack author names). Bounded by its own deadline and never throws:
   * an event it cannot complete is enqueued as it came.
   */
  complete?(events: CommentEvent[], context: SourceContext): Promise<CommentEvent[]>;
}

export function hmacSha256(key: string, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Compares an expected digest with the one the caller sent, in constant time; never throws on bad input. */
export function digestsMatch(
  expected: Buffer,
  received: string | undefined,
  encoding: 'hex' | 'base64',
): boolean {
  if (!received) return false;
  // Exactly the encoded length of the expected digest: Buffer.from would silently drop extra characters.
  const length = encoding === 'hex' ? expected.length * 2 : Math.ceil(expected.length / 3) * 4;
  const pattern = encoding === 'hex' ? /^[0-9a-fA-F]+$/ : /^[A-Za-z0-9+/]+={0,2}$/;
  if (received.length !== length || !pattern.test(received)) return false;
  const given = Buffer.from(received, encoding);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Rejects timestamps outside ±windowSeconds of now (replay protection). */
export function assertFreshTimestamp(value: string | undefined, now: Date, windowSeconds = 300): number {
  if (!value || !/^\d{1,12}$/.test(value)) throw new AuthError('missing or malformed signature timestamp');
  const seconds = Number(value);
  if (Math.abs(now.getTime() / 1000 - seconds) > windowSeconds) {
    throw new AuthError('signature timestamp is outside the 5-minute window');
  }
  return seconds;
}

export function isBrandAccount(community: CommunityConfig, platform: Platform, authorId: string): boolean {
  return community.brandAccounts[platform]?.includes(authorId) ?? false;
}

export function isAutomatedAccount(
  community: CommunityConfig,
  platform: Platform,
  authorId: string,
): boolean {
  return community.automatedAccounts[platform]?.includes(authorId) ?? false;
}
