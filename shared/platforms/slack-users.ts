import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { HttpClient } from './pollers/poller.ts';

/**
 * Slack author names. Events API deliveries rarely carry `user_profile`, so a message names its
 * author by id only; `users.info` (scope `users:read`, bot token `xoxb-…`) gives the name. Every
 * answer is cached, and a failure (rate limit, bad token, timeout) never blocks ingest: the caller
 * keeps the id and marks the name missing.
 */
export interface SlackUserDirectory {
  /** The user's display name, or undefined when it cannot be known now. Never throws. */
  displayName(userId: string, botToken: string): Promise<string | undefined>;
}

export interface SlackApiUserDirectoryOptions {
  /** `https://slack.com/api` unless a test points it elsewhere. */
  baseUrl?: string;
  /** How long a name is kept (people rarely rename themselves). */
  ttlMs?: number;
  /** How long "no such user" is kept before asking again. */
  missTtlMs?: number;
  /** Names kept at most; the oldest go first. */
  maxEntries?: number;
  /** Told, once per pause, why lookups stopped (a bad token, a rate limit): for the log. */
  onProblem?: (problem: string) => void;
  now?: () => number;
}

const UsersInfo = z.object({
  ok: z.boolean(),
  error: z.string().max(256).optional(),
  user: z
    .object({
      name: z.string().max(512).optional(),
      real_name: z.string().max(512).optional(),
      profile: z
        .object({ display_name: z.string().max(512).optional(), real_name: z.string().max(512).optional() })
        .loose()
        .optional(),
    })
    .loose()
    .optional(),
});

/** Errors that say the token, not the user, is the problem: no lookup helps until it is fixed. */
const TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
  'not_allowed_token_type',
]);
const MISSING_USER = new Set(['user_not_found', 'user_not_visible']);

const HOUR = 3_600_000;
const TOKEN_PAUSE_MS = 15 * 60_000;
const FAILURE_PAUSE_MS = 30_000;
const DEFAULT_RETRY_AFTER_S = 60;

/** users.info over an HttpClient, with an in-memory cache per warm function. */
export class SlackApiUserDirectory implements SlackUserDirectory {
  private readonly cache = new Map<string, { name: string | undefined; until: number }>();
  /** Per token: no request before this time (rate limited, refused, or unreachable). */
  private readonly pausedUntil = new Map<string, number>();
  private readonly baseUrl: string;
  private readonly now: () => number;

  constructor(
    private readonly http: HttpClient,
    private readonly options: SlackApiUserDirectoryOptions = {},
  ) {
    this.baseUrl = (options.baseUrl ?? 'https://slack.com/api').replace(/\/$/, '');
    this.now = options.now ?? Date.now;
  }

  async displayName(userId: string, botToken: string): Promise<string | undefined> {
    if (!/^[UW][A-Z0-9]{2,30}$/.test(userId) || !botToken) return undefined;
    // The token itself is never kept as a key: a fingerprint tells workspaces apart.
    const token = createHash('sha256').update(botToken).digest('hex').slice(0, 16);
    const key = `${token}:${userId}`;
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.name;
    if ((this.pausedUntil.get(token) ?? 0) > now) return undefined;

    let status: number;
    let headers: Readonly<Record<string, string>>;
    let body: string;
    try {
      ({ status, headers, body } = await this.http.send({
        method: 'GET',
        url: `${this.baseUrl}/users.info?user=${encodeURIComponent(userId)}`,
        headers: { authorization: `Bearer ${botToken}` },
      }));
    } catch {
      this.pause(token, FAILURE_PAUSE_MS, 'users.info did not answer in time');
      return undefined;
    }
    if (status === 429) {
      this.pause(token, retryAfterMs(headers['retry-after']), 'users.info is rate limited');
      return undefined;
    }
    const parsed = status === 200 ? UsersInfo.safeParse(safeJson(body)) : undefined;
    if (!parsed?.success) {
      this.pause(token, FAILURE_PAUSE_MS, `users.info answered HTTP ${status}`);
      return undefined;
    }
    const answer = parsed.data;
    if (!answer.ok) {
      const error = answer.error ?? 'unknown_error';
      if (MISSING_USER.has(error)) this.remember(key, undefined, now + (this.options.missTtlMs ?? HOUR / 2));
      else if (error === 'ratelimited')
        this.pause(token, retryAfterMs(headers['retry-after']), 'users.info is rate limited');
      else if (TOKEN_ERRORS.has(error))
        this.pause(token, TOKEN_PAUSE_MS, `users.info refused the bot token (${error})`);
      else this.pause(token, FAILURE_PAUSE_MS, `users.info failed (${error})`);
      return undefined;
    }
    const u = answer.user;
    const name = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name || undefined;
    this.remember(key, name, now + (this.options.ttlMs ?? 6 * HOUR));
    return name;
  }

  private remember(key: string, name: string | undefined, until: number): void {
    this.cache.delete(key);
    this.cache.set(key, { name, until });
    const max = this.options.maxEntries ?? 5_000;
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= max) break;
      this.cache.delete(oldest);
    }
  }

  private pause(token: string, ms: number, why: string): void {
    this.pausedUntil.set(token, this.now() + ms);
    this.options.onProblem?.(
      `${why}: Slack names are not looked up for ${Math.round(ms / 1000)} s; authors show their id`,
    );
  }
}

function retryAfterMs(header: string | undefined): number {
  const seconds = header && /^\d{1,6}$/.test(header.trim()) ? Number(header) : DEFAULT_RETRY_AFTER_S;
  return Math.max(1, seconds) * 1000;
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
