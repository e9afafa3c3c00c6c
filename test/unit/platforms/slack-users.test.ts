import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FetchHttpClient } from '../../../shared/adapters/fetch-http-client.ts';
import { parseSourceSecret } from '../../../shared/adapters/secrets.ts';
import { ingestWebhook } from '../../../shared/core/ingest-webhook.ts';
import type { CommentEvent } from '../../../shared/domain/comment.ts';
import { SOURCES } from '../../../shared/platforms/index.ts';
import { createSlackSource, signSlackRequest } from '../../../shared/platforms/slack.ts';
import { SlackApiUserDirectory } from '../../../shared/platforms/slack-users.ts';
import { testConfig } from '../../support/builders.ts';
import { fixture, NOW } from './helpers.ts';

// A server on 127.0.0.1 answers as Slack's users.info does (documented bodies and errors): real
// fetch, no outside network, no mocked fetch.
const TOKEN = 'xoxb-test-token';
let server: Server;
let base: string;
let hits: string[] = [];
let mode: 'normal' | 'ratelimited' | 'http500' = 'normal';

const USERS: Record<string, unknown> = {
  U0MEMBER006: {
    id: 'U0MEMBER006',
    name: 'nadia.b',
    real_name: 'Nadia Benali',
    profile: { display_name: 'Nadia', real_name: 'Nadia Benali' },
  },
  U0MEMBER007: { id: 'U0MEMBER007', name: 'karim', profile: { display_name: '', real_name: 'Karim Haddad' } },
};

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const user = url.searchParams.get('user') ?? '';
    hits.push(user);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(JSON.stringify(body));
    };
    if (url.pathname !== '/api/users.info') return reply(404, { ok: false, error: 'unknown_method' });
    if (mode === 'ratelimited')
      return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '30' });
    if (mode === 'http500') return reply(500, { ok: false, error: 'internal_error' });
    if (request.headers.authorization !== `Bearer ${TOKEN}`)
      return reply(200, { ok: false, error: 'invalid_auth' });
    // Never answers: the client's own timeout is all that can end the call (no race with a timer here).
    if (user === 'U0SLOW0001') return;
    const found = USERS[user];
    return found ? reply(200, { ok: true, user: found }) : reply(200, { ok: false, error: 'user_not_found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  hits = [];
  mode = 'normal';
});

function directory(
  options: { now?: () => number; onProblem?: (p: string) => void; timeoutMs?: number } = {},
) {
  return new SlackApiUserDirectory(new FetchHttpClient({ timeoutMs: options.timeoutMs ?? 2_000 }), {
    baseUrl: base,
    ...options,
  });
}

describe('SlackApiUserDirectory', () => {
  it('answers the display name, or the real name when the display name is empty', async () => {
    const users = directory();

    expect(await users.displayName('U0MEMBER006', TOKEN)).toBe('Nadia');
    expect(await users.displayName('U0MEMBER007', TOKEN)).toBe('Karim Haddad');
  });

  it('asks Slack once per user until the cached name expires', async () => {
    let now = 0;
    const users = directory({ now: () => now });

    await users.displayName('U0MEMBER006', TOKEN);
    await users.displayName('U0MEMBER006', TOKEN);
    now += 7 * 3_600_000;
    await users.displayName('U0MEMBER006', TOKEN);

    expect(hits).toEqual(['U0MEMBER006', 'U0MEMBER006']);
  });

  it('remembers user_not_found for a while instead of asking on every message', async () => {
    const users = directory();

    expect(await users.displayName('U0GHOST001', TOKEN)).toBeUndefined();
    expect(await users.displayName('U0GHOST001', TOKEN)).toBeUndefined();

    expect(hits).toEqual(['U0GHOST001']);
  });

  it('honours Retry-After on 429: no request to Slack before it has passed', async () => {
    let now = 0;
    const problems: string[] = [];
    const users = directory({ now: () => now, onProblem: (p) => problems.push(p) });
    mode = 'ratelimited';

    expect(await users.displayName('U0MEMBER006', TOKEN)).toBeUndefined();
    mode = 'normal';
    now += 29_000;
    expect(await users.displayName('U0MEMBER007', TOKEN)).toBeUndefined();
    now += 2_000;
    expect(await users.displayName('U0MEMBER007', TOKEN)).toBe('Karim Haddad');

    expect(hits).toEqual(['U0MEMBER006', 'U0MEMBER007']);
    expect(problems).toEqual([expect.stringContaining('rate limited')]);
  });

  it('stops asking with a token Slack refuses, says why, and never repeats the token', async () => {
    const problems: string[] = [];
    const users = directory({ onProblem: (p) => problems.push(p) });

    expect(await users.displayName('U0MEMBER006', 'xoxb-revoked')).toBeUndefined();
    expect(await users.displayName('U0MEMBER007', 'xoxb-revoked')).toBeUndefined();

    expect(hits).toEqual(['U0MEMBER006']);
    expect(problems).toEqual([expect.stringContaining('invalid_auth')]);
    expect(problems.join()).not.toContain('xoxb');
  });

  it('answers undefined, without throwing, when Slack fails or does not answer in time', async () => {
    mode = 'http500';
    expect(await directory().displayName('U0MEMBER006', TOKEN)).toBeUndefined();
    mode = 'normal';
    expect(await directory({ timeoutMs: 100 }).displayName('U0SLOW0001', TOKEN)).toBeUndefined();
  });

  it('never asks about something that is not a user id', async () => {
    expect(await directory().displayName('B0BOT00001', TOKEN)).toBeUndefined();
    expect(hits).toEqual([]);
  });
});

describe('Slack names through ingest', () => {
  function setup(users: SlackApiUserDirectory, secret: Record<string, string>) {
    const events: CommentEvent[] = [];
    const deps = {
      config: testConfig({
        sources: [
          { id: 'generic', type: 'generic', community: 'velo', secretName: 'test/generic' },
          { id: 'slack', type: 'slack', community: 'velo', secretName: 'test/slack' },
        ],
      }),
      sources: { ...SOURCES, slack: createSlackSource({ users, lookupDeadlineMs: 300 }) },
      secrets: { sourceSecret: async () => parseSourceSecret(JSON.stringify(secret)) },
      queue: { enqueue: async (batch: readonly CommentEvent[]) => void events.push(...batch) },
      now: () => NOW,
    };
    return { events, deps };
  }

  function delivery(name: string) {
    const body = fixture('slack', name);
    const headers = signSlackRequest('dev-secret-slack', body, Math.floor(NOW.getTime() / 1000));
    return { method: 'POST', headers, query: {}, rawBody: body };
  }

  it("enqueues the author's name looked up with the bot token from the source's secret", async () => {
    const { events, deps } = setup(directory(), { signingKey: 'dev-secret-slack', botToken: TOKEN });

    const response = await ingestWebhook('slack', delivery('message-with-markup.json'), deps);

    expect(response.status).toBe(200);
    expect(events[0]?.comment.author).toEqual({
      id: 'U0MEMBER006',
      name: 'Nadia',
      isBrand: false,
      isAutomated: false,
    });
  });

  it('acks in time and enqueues the id, marked missing, when Slack is too slow', async () => {
    const { events, deps } = setup(directory(), { signingKey: 'dev-secret-slack', botToken: TOKEN });
    const body = JSON.parse(fixture('slack', 'message-with-markup.json').toString('utf8'));
    body.event.user = 'U0SLOW0001';
    const raw = Buffer.from(JSON.stringify(body));
    const request = {
      method: 'POST',
      headers: signSlackRequest('dev-secret-slack', raw, Math.floor(NOW.getTime() / 1000)),
      query: {},
      rawBody: raw,
    };

    const started = Date.now();
    const response = await ingestWebhook('slack', request, deps);

    expect(Date.now() - started).toBeLessThan(1_500);
    expect(response.status).toBe(200);
    expect(events[0]?.comment.author).toMatchObject({
      id: 'U0SLOW0001',
      name: 'U0SLOW0001',
      nameMissing: true,
    });
  });

  it('makes no lookup when the secret holds no bot token', async () => {
    const { events, deps } = setup(directory(), { signingKey: 'dev-secret-slack' });

    await ingestWebhook('slack', delivery('message-with-markup.json'), deps);

    expect(hits).toEqual([]);
    expect(events[0]?.comment.author).toMatchObject({ name: 'U0MEMBER006', nameMissing: true });
  });
});
