import type { ChatPost, ChatPoster, ChatPostOutcome, ChatSecretStore } from '../core/ports.ts';
import type { HttpClient } from '../platforms/pollers/poller.ts';
import { bodyExcerpt, commonOutcome } from './chat-http.ts';

/**
 * Microsoft Teams through a Workflows webhook: the secret is the flow's URL (its `sig` query
 * parameter is the credential). The trigger answers 202 Accepted when the flow is started; 429
 * with Retry-After past about 4 requests a second; 401/403/404 when the flow, its signature or
 * its trigger no longer exists; 400 or 413 for a message it cannot take (over ~28 KB).
 */
export class TeamsPoster implements ChatPoster {
  constructor(private readonly deps: { http: HttpClient; secrets: ChatSecretStore }) {}

  async post(post: ChatPost): Promise<ChatPostOutcome> {
    const url = (await this.deps.secrets.chatSecret(post.team, post.target.id)).trim();
    const label = 'Teams (Workflows webhook)';
    if (!/^https?:\/\//.test(url)) {
      return { kind: 'gone', reason: 'its secret is not a Workflows webhook URL (put the flow URL in it)' };
    }
    let response: Awaited<ReturnType<HttpClient['send']>>;
    try {
      response = await this.deps.http.send({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(post.payload),
      });
    } catch (error) {
      return { kind: 'retry', reason: `${label}: ${(error as Error).message}` };
    }
    const common = commonOutcome(response, label);
    if (common) return common;
    if (response.status >= 200 && response.status < 300) return { kind: 'sent' };
    const reason = `${label} answered ${response.status} ${bodyExcerpt(response.body)}`.trim();
    return response.status === 400 || response.status === 413
      ? { kind: 'rejected', reason }
      : { kind: 'gone', reason };
  }
}
