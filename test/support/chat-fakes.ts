import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins for Slack and Microsoft Teams, on one node:http server, answering as their
 * documentation says (docs/notifications.md):
 * - `POST /slack/webhook/<name>`: an incoming webhook. 200 `ok`; 400 `invalid_payload` when the
 *   body is not JSON with `text` or `blocks`; a scripted answer (e.g. 404 `no_service`,
 *   410 `channel_is_archived`, 429 with Retry-After) when one is queued for that webhook.
 * - `POST /slack/api/chat.postMessage`: 200 `{"ok": true, "channel", "ts"}`; `{"ok": false,
 *   "error": "not_authed" | "invalid_auth" | "channel_not_found"}` for a missing or wrong token
 *   or channel; 429 `{"ok": false, "error": "ratelimited"}` with Retry-After when scripted.
 * - `POST /teams/workflow/<name>`: a Workflows trigger. 202 (empty body) for a `message` with an
 *   Adaptive Card attachment; 400 with Power Automate's error JSON otherwise; scripted answers.
 * Every request is recorded, accepted or not.
 */
export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
  accepted: boolean;
}

export interface ChatFakes {
  url: string;
  received: Received[];
  /** Requests to `path` that were accepted (the message is in the channel). */
  accepted(path: string): Received[];
  /** Queues answers for the next requests to `path`, in order, before the normal behaviour resumes. */
  script(path: string, ...answers: FakeAnswer[]): void;
  /** Every later request to `path` gets this answer (a removed webhook stays removed). */
  fail(path: string, answer: FakeAnswer): void;
  botToken: string;
  channels: Set<string>;
  close(): Promise<void>;
}

export async function startChatFakes(): Promise<ChatFakes> {
  const received: Received[] = [];
  const scripted = new Map<string, FakeAnswer[]>();
  const failing = new Map<string, FakeAnswer>();
  const botToken = 'xoxb-fake-token';
  const channels = new Set(['C0SUPPORT']);
  let ts = 1_700_000_000;

  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const answer = (a: FakeAnswer, accepted: boolean) => {
      received.push({ path, headers: request.headers, body, json, accepted });
      response.writeHead(a.status, a.headers ?? {});
      response.end(a.body ?? '');
    };
    const queued = scripted.get(path)?.shift() ?? failing.get(path);
    if (queued) return answer(queued, false);

    if (request.method !== 'POST') return answer({ status: 405, body: 'method_not_allowed' }, false);
    if (path.startsWith('/slack/webhook/')) {
      const m = json as { text?: unknown; blocks?: unknown } | undefined;
      if (!m || (typeof m.text !== 'string' && !Array.isArray(m.blocks))) {
        return answer({ status: 400, body: 'invalid_payload' }, false);
      }
      return answer({ status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' }, true);
    }
    if (path === '/slack/api/chat.postMessage') {
      const ok = (b: object) => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(b),
      });
      const auth = request.headers.authorization;
      if (!auth) return answer(ok({ ok: false, error: 'not_authed' }), false);
      if (auth !== `Bearer ${botToken}`) return answer(ok({ ok: false, error: 'invalid_auth' }), false);
      const m = json as { channel?: string; text?: unknown; blocks?: unknown } | undefined;
      if (!m?.channel || !channels.has(m.channel))
        return answer(ok({ ok: false, error: 'channel_not_found' }), false);
      if (typeof m.text !== 'string' && !Array.isArray(m.blocks))
        return answer(ok({ ok: false, error: 'no_text' }), false);
      ts += 1;
      return answer(ok({ ok: true, channel: m.channel, ts: `${ts}.000100` }), true);
    }
    if (path.startsWith('/teams/workflow/')) {
      const m = json as { type?: string; attachments?: { contentType?: string }[] } | undefined;
      if (
        m?.type !== 'message' ||
        m.attachments?.[0]?.contentType !== 'application/vnd.microsoft.card.adaptive'
      ) {
        return answer(
          {
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              error: { code: 'InvalidRequestContent', message: 'The request content is not valid.' },
            }),
          },
          false,
        );
      }
      return answer({ status: 202 }, true);
    }
    return answer({ status: 404, body: 'not_found' }, false);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    accepted: (path) => received.filter((r) => r.path === path && r.accepted),
    script: (path, ...answers) => scripted.set(path, [...(scripted.get(path) ?? []), ...answers]),
    fail: (path, answer) => failing.set(path, answer),
    botToken,
    channels,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
