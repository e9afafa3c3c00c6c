import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../shared/adapters/chat-http.ts';
import { FetchHttpClient } from '../../../shared/adapters/fetch-http-client.ts';
import { SlackPoster } from '../../../shared/adapters/slack-poster.ts';
import { SnsChatbotPoster } from '../../../shared/adapters/sns-chatbot-poster.ts';
import { TeamsPoster } from '../../../shared/adapters/teams-poster.ts';
import type { ChatPost } from '../../../shared/core/ports.ts';
import { renderChatbot } from '../../../shared/notify/chatbot.ts';
import { renderSlack } from '../../../shared/notify/slack.ts';
import { renderTeams } from '../../../shared/notify/teams.ts';
import { notificationView } from '../../../shared/notify/view.ts';
import { type ChatFakes, startChatFakes } from '../../support/chat-fakes.ts';
import { ChatbotCustomNotification } from '../../support/chat-formats.ts';
import { routed } from '../../support/notifications.ts';

/** Each poster against the documented answers of its service (local fakes; SNS mocked at the client). */
let fakes: ChatFakes;
beforeAll(async () => {
  fakes = await startChatFakes();
});
afterAll(async () => {
  await fakes.close();
});

const view = notificationView(routed('Où est ma commande ?'), { locale: 'fr', timezone: 'Europe/Paris' });
const http = new FetchHttpClient({ timeoutMs: 5000 });
const slackPost = (secret: string): [SlackPoster, ChatPost] => [
  new SlackPoster({
    http,
    secrets: { chatSecret: async () => secret },
    apiBaseUrl: `${fakes.url}/slack/api`,
  }),
  {
    team: 'support',
    target: { type: 'slack', id: 'slack', secretName: 's', interactive: false },
    notificationId: 'n1',
    payload: renderSlack(view, { interactive: false }),
  },
];
const teamsPost = (url: string): [TeamsPoster, ChatPost] => [
  new TeamsPoster({ http, secrets: { chatSecret: async () => url } }),
  {
    team: 'support',
    target: { type: 'teams', id: 'teams', secretName: 't' },
    notificationId: 'n1',
    payload: renderTeams(view),
  },
];

describe('the Slack poster', () => {
  it.each([
    [404, 'no_service', 'gone'],
    [404, 'channel_not_found', 'gone'],
    [410, 'channel_is_archived', 'gone'],
    [403, 'action_prohibited', 'gone'],
    [400, 'invalid_payload', 'rejected'],
    [500, 'rollup_error', 'retry'],
  ])('reads an incoming webhook’s %i %s as %s', async (status, body, kind) => {
    const path = `/slack/webhook/${body}-${status}`;
    fakes.script(path, { status, body });
    const [poster, post] = slackPost(`${fakes.url}${path}`);

    expect(await poster.post(post)).toMatchObject({ kind, reason: expect.stringContaining(body) });
  });

  it('waits as long as a 429 says, in seconds', async () => {
    const path = '/slack/webhook/limited';
    fakes.script(path, { status: 429, headers: { 'retry-after': '30' }, body: 'rate_limited' });
    const [poster, post] = slackPost(`${fakes.url}${path}`);

    expect(await poster.post(post)).toEqual({ kind: 'retry', reason: expect.any(String), afterMs: 30_000 });
  });

  it('reads chat.postMessage’s ok:false errors', async () => {
    const [wrongToken, post] = slackPost(JSON.stringify({ botToken: 'xoxb-revoked', channel: 'C0SUPPORT' }));
    const [wrongChannel] = slackPost(JSON.stringify({ botToken: fakes.botToken, channel: 'C0GONE' }));
    const [right] = slackPost(JSON.stringify({ botToken: fakes.botToken, channel: 'C0SUPPORT' }));

    expect(await wrongToken.post(post)).toMatchObject({
      kind: 'gone',
      reason: expect.stringContaining('invalid_auth'),
    });
    expect(await wrongChannel.post(post)).toMatchObject({
      kind: 'gone',
      reason: expect.stringContaining('channel_not_found'),
    });
    expect(await right.post(post)).toEqual({ kind: 'sent' });
  });

  it('reads a secret still holding its placeholder as a target that needs a person, without quoting it', async () => {
    const [poster, post] = slackPost('Zq3v9PlaceholderValue');
    const outcome = await poster.post(post);

    expect(outcome.kind).toBe('gone');
    expect(JSON.stringify(outcome)).not.toContain('Zq3v9PlaceholderValue');
  });
});

describe('the Teams poster', () => {
  it('posts the Workflows envelope and reads 202 as sent', async () => {
    const [poster, post] = teamsPost(`${fakes.url}/teams/workflow/ok?sig=abc`);

    expect(await poster.post(post)).toEqual({ kind: 'sent' });
  });

  it.each([
    [404, 'gone'],
    [401, 'gone'],
    [413, 'rejected'],
    [502, 'retry'],
  ])('reads %i as %s', async (status, kind) => {
    const path = `/teams/workflow/s${status}`;
    fakes.script(path, { status, body: '{"error":{"code":"x"}}' });
    const [poster, post] = teamsPost(`${fakes.url}${path}`);

    expect((await poster.post(post)).kind).toBe(kind);
  });
});

describe('the Chatbot poster', () => {
  it('publishes the custom notification, as it is, on the target’s topic', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
    const poster = new SnsChatbotPoster(new SNSClient({}), {
      'moderation/chatbot': 'arn:aws:sns:eu-west-1:123456789012:chat',
    });

    const outcome = await poster.post({
      team: 'moderation',
      target: { type: 'chatbot', id: 'chatbot' },
      notificationId: 'n1',
      payload: renderChatbot(view),
    });

    expect(outcome).toEqual({ kind: 'sent' });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:chat');
    expect(ChatbotCustomNotification.parse(JSON.parse(input?.Message ?? ''))).toMatchObject({
      version: '1.0',
      source: 'custom',
    });
    sns.restore();
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    const now = () => Date.parse('2026-11-20T10:00:00Z');
    const at = (value: string) =>
      retryAfterMs({ status: 429, headers: { 'retry-after': value }, body: '' }, now);

    expect(at('1')).toBe(1000);
    expect(at('Fri, 20 Nov 2026 10:00:05 GMT')).toBe(5000);
    expect(at('soon')).toBeUndefined();
  });
});
