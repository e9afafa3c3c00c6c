import type { ChatPost, ChatPoster, ChatPostOutcome, ChatSecretStore } from '../core/ports.ts';
import { ConfigError } from '../domain/errors.ts';
import type { HttpClient } from '../platforms/pollers/poller.ts';
import { bodyExcerpt, commonOutcome } from './chat-http.ts';

/**
 * Slack, by incoming webhook or by chat.postMessage, as the target's secret says: a webhook URL,
 * or JSON `{"botToken": "xoxb-…", "channel": "C…"}` (a `{"webhookUrl": "…"}` JSON works too).
 *
 * Incoming webhooks answer 200 `ok`, or an HTTP error with a one-word body: 400 `invalid_payload`
 * and `user_not_found`, 403 `action_prohibited` (and `invalid_token`), 404 `channel_not_found`
 * (and `no_service`, the webhook was removed), 410 `channel_is_archived`, 500 `rollup_error`.
 * chat.postMessage answers 200 with `{"ok": false, "error": …}` for its errors, and 429 with
 * Retry-After when rate limited. docs/notifications.md has the sources.
 */
const GONE_API_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'restricted_action',
  'ekm_access_denied',
  'team_access_not_granted',
]);
const RETRY_API_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

type SlackCredentials = { kind: 'webhook'; url: string } | { kind: 'api'; botToken: string; channel: string };

export function parseSlackSecret(value: string): SlackCredentials {
  const trimmed = value.trim();
  if (trimmed.startsWith('https://') || trimmed.startsWith('http://'))
    return { kind: 'webhook', url: trimmed };
  let parsed: { webhookUrl?: unknown; botToken?: unknown; channel?: unknown };
  try {
    parsed = JSON.parse(trimmed) as typeof parsed;
  } catch {
    // Never quote the value: it is a credential.
    throw new ConfigError('a Slack chat secret must be a webhook URL or JSON {"botToken", "channel"}');
  }
  if (typeof parsed.webhookUrl === 'string') return { kind: 'webhook', url: parsed.webhookUrl };
  if (typeof parsed.botToken === 'string' && typeof parsed.channel === 'string') {
    return { kind: 'api', botToken: parsed.botToken, channel: parsed.channel };
  }
  throw new ConfigError('a Slack chat secret JSON needs "webhookUrl", or "botToken" and "channel"');
}

export class SlackPoster implements ChatPoster {
  constructor(
    private readonly deps: {
      http: HttpClient;
      secrets: ChatSecretStore;
      /** chat.postMessage lives under it; a local fake stands in for it in tests. */
      apiBaseUrl?: string;
    },
  ) {}

  async post(post: ChatPost): Promise<ChatPostOutcome> {
    let credentials: SlackCredentials;
    try {
      credentials = parseSlackSecret(await this.deps.secrets.chatSecret(post.team, post.target.id));
    } catch (error) {
      // A secret still holding its placeholder (or a typo) needs a person, like a removed webhook.
      if (error instanceof ConfigError) return { kind: 'gone', reason: `its secret: ${error.message}` };
      throw error;
    }
    const label = `Slack (${credentials.kind === 'webhook' ? 'incoming webhook' : 'chat.postMessage'})`;
    let response: Awaited<ReturnType<HttpClient['send']>>;
    try {
      response =
        credentials.kind === 'webhook'
          ? await this.deps.http.send({
              method: 'POST',
              url: credentials.url,
              headers: { 'content-type': 'application/json; charset=utf-8' },
              body: JSON.stringify(post.payload),
            })
          : await this.deps.http.send({
              method: 'POST',
              url: `${this.deps.apiBaseUrl ?? 'https://slack.com/api'}/chat.postMessage`,
              headers: {
                'content-type': 'application/json; charset=utf-8',
                authorization: `Bearer ${credentials.botToken}`,
              },
              body: JSON.stringify({ channel: credentials.channel, ...(post.payload as object) }),
            });
    } catch (error) {
      return { kind: 'retry', reason: `${label}: ${(error as Error).message}` };
    }
    const common = commonOutcome(response, label);
    if (common) return common;
    if (credentials.kind === 'webhook') {
      if (response.status >= 200 && response.status < 300) return { kind: 'sent' };
      const reason = `${label} answered ${response.status} ${bodyExcerpt(response.body)}`;
      // 400: this message is at fault; 403/404/410 and the rest: the webhook or its channel is.
      return response.status === 400 ? { kind: 'rejected', reason } : { kind: 'gone', reason };
    }
    let answer: { ok?: boolean; error?: string };
    try {
      answer = JSON.parse(response.body) as typeof answer;
    } catch {
      return { kind: 'retry', reason: `${label} answered ${response.status} with a body that is not JSON` };
    }
    if (response.status === 200 && answer.ok) return { kind: 'sent' };
    const error = answer.error ?? `HTTP ${response.status}`;
    const reason = `${label} answered ${error}`;
    if (RETRY_API_ERRORS.has(error)) return { kind: 'retry', reason };
    if (GONE_API_ERRORS.has(error) || response.status === 401 || response.status === 403)
      return { kind: 'gone', reason };
    return { kind: 'rejected', reason };
  }
}
