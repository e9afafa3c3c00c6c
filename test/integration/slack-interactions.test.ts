import { createHmac } from 'node:crypto';
import type { KnownBlock } from '@slack/types';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/slack-interactions/make-handler.ts';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { DynamoFeedbackStore } from '../../shared/adapters/dynamodb-feedback-store.ts';
import { openThreads } from '../../shared/core/insights.ts';
import { processCommentEvents } from '../../shared/core/process-comments.ts';
import type { InteractionResponder } from '../../shared/core/slack-interactions.ts';
import { watchSla } from '../../shared/core/watch-sla.ts';
import { renderSlack } from '../../shared/notify/slack.ts';
import { notificationView } from '../../shared/notify/view.ts';
import { commentEvent, KeywordClassifier, testConfig } from '../support/builders.ts';
import { freshStore } from '../support/dynamo.ts';
import { routed } from '../support/notifications.ts';

/** Slack button clicks against DynamoDB Local: verified like events, applied once, however often replayed. */
const SIGNING_SECRET = 'slack-signing-secret';
const config = testConfig({
  sources: [
    { id: 'generic', type: 'generic', community: 'velo', secretName: 'test/generic' },
    { id: 'slack', type: 'slack', community: 'velo', secretName: 'test/slack' },
  ],
  teams: [
    { id: 'support', name: 'Support', chat: [{ type: 'slack', secretName: 'test/chat', interactive: true }] },
    { id: 'product', name: 'Product' },
    { id: 'moderation', name: 'Moderation' },
    { id: 'community', name: 'Community' },
  ],
});
const clickAt = new Date('2026-11-20T10:20:00.000Z');

class RecordingResponder implements InteractionResponder {
  readonly replaced: { url: string; text: string; blocks: KnownBlock[] }[] = [];
  async replace(url: string, message: { text: string; blocks: KnownBlock[] }) {
    this.replaced.push({ url, ...message });
  }
}

function click(
  actionId: string,
  ref: { commentId: string; threadId: string },
  options: { secret?: string; at?: Date } = {},
): APIGatewayProxyEventV2 {
  const view = notificationView(routed('Où est ma commande ?'), { locale: 'fr', timezone: 'Europe/Paris' });
  const message = renderSlack(view, { interactive: true });
  const payload = {
    type: 'block_actions',
    user: { id: 'U0ALICE', username: 'alice', name: 'alice' },
    actions: [
      {
        action_id: actionId,
        block_id: 'actions',
        value: JSON.stringify({ c: 'velo', m: ref.commentId, t: ref.threadId }),
        type: 'button',
      },
    ],
    response_url: 'https://hooks.slack.com/actions/T0/1/abc',
    message: { text: message.text, blocks: message.blocks },
  };
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const timestamp = String(Math.floor((options.at ?? clickAt).getTime() / 1000));
  const signature = `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex')}`;
  return {
    version: '2.0',
    routeKey: 'POST /slack/interactions',
    rawPath: '/slack/interactions',
    rawQueryString: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    isBase64Encoded: false,
    body,
    requestContext: {
      http: {
        method: 'POST',
        path: '/slack/interactions',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'Slackbot',
      },
    } as APIGatewayProxyEventV2['requestContext'],
  };
}

async function setup() {
  const table = await freshStore();
  const responder = new RecordingResponder();
  const handler = makeHandler({
    config,
    secrets: { sourceSecret: async () => ({ signingKey: SIGNING_SECRET }) },
    items: table.items,
    store: table.store,
    feedback: new DynamoFeedbackStore(table.client, { tableName: table.tableName, retentionDays: 90 }),
    responder,
    now: () => clickAt,
  });
  const send = async (event: APIGatewayProxyEventV2) =>
    (await handler(event, lambdaContext('slack-interactions'))) as APIGatewayProxyStructuredResultV2;
  const classifier = new KeywordClassifier();
  await processCommentEvents([commentEvent({ id: 'q1', text: 'Où est ma commande ?' })], {
    config,
    classifierFor: () => classifier,
    store: table.store,
  });
  const open = () =>
    openThreads(
      { community: 'velo' },
      { config, items: table.items, comments: table.store, now: () => clickAt },
    );
  return { table, responder, send, open };
}

const item = { commentId: 'generic:q1', threadId: 'generic:q1' };

describe('Slack interactions', () => {
  it('closes an open question on Mark handled, once, however many times the click is replayed', async () => {
    const { table, responder, send, open } = await setup();
    expect((await open()).open).toHaveLength(1);

    const event = click('autopilot.handled', item);
    const answers = [await send(event), await send(event), await send(structuredClone(event))];

    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect((await open()).open).toEqual([]);
    expect(await table.items.dueItems('velo', new Date('2026-11-30T00:00:00.000Z'))).toEqual([]);
    const watch = await watchSla('velo', {
      config,
      items: table.items,
      store: table.store,
      now: () => new Date('2026-11-30T00:00:00.000Z'),
    });
    expect(watch.escalated).toEqual([]);
    const days = await table.kpis.readDays('velo', '2026-11-20', '2026-11-20');
    expect(days.get('2026-11-20')).toMatchObject({ handledOffPlatform: 1 });
    expect(days.get('2026-11-20')?.answered).toBeUndefined();
    const stored = await table.items.threadItem('velo', item.threadId, item.commentId);
    expect(stored).toMatchObject({ status: 'handled', handled: { via: 'slack', id: 'U0ALICE' } });
    // The message is updated in place each time: first who did it, then that it is already closed.
    expect(responder.replaced[0]?.url).toBe('https://hooks.slack.com/actions/T0/1/abc');
    expect(JSON.stringify(responder.replaced[0]?.blocks)).toContain('Marqué comme traité par <@U0ALICE>');
    expect(JSON.stringify(responder.replaced[1]?.blocks)).toContain('Déjà clos');
  });

  it('records the assignee on Assign to me and leaves the item open', async () => {
    const { table, send, open } = await setup();

    expect((await send(click('autopilot.assign', item))).statusCode).toBe(200);

    expect((await open()).open).toHaveLength(1);
    expect(await table.items.threadItem('velo', item.threadId, item.commentId)).toMatchObject({
      status: 'open',
      assignee: { id: 'U0ALICE', name: 'alice' },
    });
  });

  it('records Not toxic / not spam feedback once', async () => {
    const { send, responder } = await setup();

    await send(click('autopilot.not-toxic', item));
    await send(click('autopilot.not-toxic', item));

    expect(JSON.stringify(responder.replaced[0]?.blocks)).toContain('ni toxique ni spam');
    expect(JSON.stringify(responder.replaced[1]?.blocks)).toContain('Retour déjà noté');
  });

  it('answers 401 to a forged or a stale click and changes nothing', async () => {
    const { send, open, responder } = await setup();

    const forged = await send(click('autopilot.handled', item, { secret: 'not-the-secret' }));
    const stale = await send(
      click('autopilot.handled', item, { at: new Date(clickAt.getTime() - 6 * 60_000) }),
    );

    expect([forged.statusCode, stale.statusCode]).toEqual([401, 401]);
    expect((await open()).open).toHaveLength(1);
    expect(responder.replaced).toEqual([]);
  });
});
