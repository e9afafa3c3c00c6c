import { appendFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { KnownBlock } from '@slack/types';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import type {
  ChatPost,
  ChatPoster,
  ChatPostOutcome,
  ChatSecretStore,
  OperatorAlerts,
} from '../../shared/core/ports.ts';
import { renderInboxPage } from './inbox-page.ts';

/**
 * The local runtime's chat targets: without an account anywhere, a team's Slack and Teams targets
 * post (through the same posters as in AWS, over HTTP) to the built-in inbox at
 * /local/inbox/slack|teams/<team>/<target>, which answers as Slack's incoming webhooks and Teams
 * Workflows do; Chatbot targets land there too. GET /local/inbox shows everything received,
 * rendered as each app would (the Teams card by the Adaptive Cards SDK itself). Set
 * AUTOPILOT_CHAT_<TEAM>_<TARGET> to a real webhook URL (or Slack bot JSON) to post for real.
 */
export interface InboxMessage {
  id: string;
  at: string;
  kind: 'slack' | 'teams' | 'chatbot';
  team: string;
  target: string;
  payload: unknown;
}

export class LocalChatInbox {
  readonly messages: InboxMessage[] = [];
  private seq = 0;

  constructor(
    private readonly file?: string,
    private readonly print: (line: string) => void = () => {},
  ) {}

  async receive(
    kind: InboxMessage['kind'],
    team: string,
    target: string,
    payload: unknown,
  ): Promise<InboxMessage> {
    this.seq += 1;
    const message: InboxMessage = {
      id: `m${this.seq}`,
      at: new Date().toISOString(),
      kind,
      team,
      target,
      payload,
    };
    this.messages.push(message);
    this.print(`⇢ ${kind.padEnd(7)} ${team}/${target} (local inbox)`);
    if (this.file) await appendFile(this.file, `${JSON.stringify(message)}\n`);
    return message;
  }

  /** A click's `response_url` (replace_original): the message's blocks are replaced in place. */
  replace(id: string, update: { text?: string; blocks?: KnownBlock[] }): boolean {
    const message = this.messages.find((m) => m.id === id);
    if (!message || message.kind !== 'slack') return false;
    message.payload = { ...(message.payload as object), ...update };
    return true;
  }

  /** Answers a POST to /local/inbox/<kind>/<team>/<target> as the real service would. */
  async handle(path: string, body: Buffer): Promise<{ statusCode: number; body: string } | undefined> {
    const match = /^\/local\/inbox\/(slack|teams)\/([^/]+)\/([^/]+)$/.exec(path);
    if (!match) return undefined;
    const [, kind, team, target] = match as unknown as [string, 'slack' | 'teams', string, string];
    let json: { text?: unknown; blocks?: unknown; type?: unknown; attachments?: unknown } | undefined;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = undefined;
    }
    if (kind === 'slack') {
      if (!json || (typeof json.text !== 'string' && !Array.isArray(json.blocks))) {
        return { statusCode: 400, body: 'invalid_payload' };
      }
      await this.receive('slack', decodeURIComponent(team), decodeURIComponent(target), json);
      return { statusCode: 200, body: 'ok' };
    }
    if (json?.type !== 'message' || !Array.isArray(json.attachments)) {
      return { statusCode: 400, body: JSON.stringify({ error: { code: 'InvalidRequestContent' } }) };
    }
    await this.receive('teams', decodeURIComponent(team), decodeURIComponent(target), json);
    return { statusCode: 202, body: '' };
  }

  chatbotPoster(): ChatPoster {
    return {
      post: async (post: ChatPost): Promise<ChatPostOutcome> => {
        await this.receive('chatbot', post.team, post.target.id, post.payload);
        return { kind: 'sent' };
      },
    };
  }

  page(options: { interactive: boolean }): string {
    return renderInboxPage([...this.messages].reverse(), options);
  }
}

/** Where each chat target posts locally: AUTOPILOT_CHAT_<TEAM>_<TARGET>, else the built-in inbox. */
export class LocalChatSecrets implements ChatSecretStore {
  constructor(
    private readonly config: AutopilotConfig,
    private readonly baseUrl: () => string,
  ) {}

  async chatSecret(team: string, targetId: string): Promise<string> {
    const override = process.env[chatSecretVariable(team, targetId)];
    if (override) return override;
    const target = this.config.teams.find((t) => t.id === team)?.chat.find((c) => c.id === targetId);
    const kind = target?.type === 'teams' ? 'teams' : 'slack';
    return `${this.baseUrl()}/local/inbox/${kind}/${encodeURIComponent(team)}/${encodeURIComponent(targetId)}`;
  }
}

export function chatSecretVariable(team: string, targetId: string): string {
  return `AUTOPILOT_CHAT_${`${team}_${targetId}`.toUpperCase().replace(/-/g, '_')}`;
}

/** Operator alerts on the console (and operator-alerts.jsonl beside the data). */
export class PrintedAlerts implements OperatorAlerts {
  constructor(
    private readonly print: (line: string) => void,
    private readonly file?: string,
  ) {}

  async alert(subject: string, text: string): Promise<void> {
    this.print(`⚠ ${subject}\n${text}`);
    if (this.file)
      await appendFile(this.file, `${JSON.stringify({ at: new Date().toISOString(), subject, text })}\n`);
  }
}

/** The Adaptive Cards SDK's browser bundle, served to the inbox page so Teams cards render as the SDK renders them. */
export function adaptiveCardsScriptPath(): string {
  return createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');
}
