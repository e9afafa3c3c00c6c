import type { KnownBlock } from '@slack/types';
import type { InteractionResponder } from '../core/slack-interactions.ts';
import { DependencyError, ValidationError } from '../domain/errors.ts';
import type { HttpClient } from '../platforms/pollers/poller.ts';

/**
 * Replaces a message through an interaction's `response_url` (`replace_original: true`). Only
 * URLs under `allowedPrefix` are called (Slack's are under https://hooks.slack.com/): the URL comes
 * in the request body, and a forged one must not make this function call anywhere else.
 */
export class SlackResponder implements InteractionResponder {
  constructor(private readonly deps: { http: HttpClient; allowedPrefix?: string }) {}

  async replace(responseUrl: string, message: { text: string; blocks: KnownBlock[] }): Promise<void> {
    const prefix = this.deps.allowedPrefix ?? 'https://hooks.slack.com/';
    if (!responseUrl.startsWith(prefix)) throw new ValidationError('response_url is not a Slack URL');
    const response = await this.deps.http.send({
      method: 'POST',
      url: responseUrl,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ replace_original: true, text: message.text, blocks: message.blocks }),
    });
    if (response.status < 200 || response.status >= 300) {
      throw new DependencyError(`Slack answered ${response.status} to the message update`);
    }
  }
}
