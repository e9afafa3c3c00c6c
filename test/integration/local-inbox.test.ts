import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { signGenericRequest } from '../../shared/platforms/generic.ts';
import { testConfig } from '../support/builders.ts';
import { blockKitProblems, TeamsWorkflowEnvelope } from '../support/chat-formats.ts';

/** `npm start` with chat targets and no account: the built-in inbox receives them, and its buttons act. */
const config = testConfig({
  sources: [
    { id: 'generic', type: 'generic', community: 'velo', secretName: 'test/generic' },
    { id: 'slack', type: 'slack', community: 'velo', secretName: 'test/slack' },
  ],
  teams: [
    {
      id: 'support',
      name: 'Support',
      chat: [
        { type: 'slack', secretName: 'test/chat-slack', interactive: true },
        { type: 'teams', secretName: 'test/chat-teams' },
      ],
    },
    { id: 'product', name: 'Product' },
    { id: 'moderation', name: 'Moderation', chat: [{ type: 'chatbot' }] },
    { id: 'community', name: 'Community' },
  ],
});

describe('the local chat inbox', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ config, port: 0 });
    const body = JSON.stringify({
      comments: [
        {
          id: 'inbox-1',
          author: { id: 'm-1', name: 'Léa' },
          text: 'Où est ma commande ?',
          createdAt: new Date().toISOString(),
        },
        {
          id: 'inbox-2',
          author: { id: 'm-2', name: 'Troll' },
          text: 'Quel idiot',
          createdAt: new Date().toISOString(),
        },
      ],
    });
    const answer = await fetch(`${stack.url}/webhooks/generic`, {
      method: 'POST',
      body,
      headers: signGenericRequest('dev-secret-generic', body),
    });
    expect(answer.status).toBe(202);
    await stack.idle();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('receives each team’s notification once per target, in each format', async () => {
    const messages = stack.inbox.messages;
    const slack = messages.filter((m) => m.kind === 'slack');
    const teams = messages.filter((m) => m.kind === 'teams');

    expect(slack.map((m) => m.team)).toEqual(['support']);
    expect(teams.map((m) => m.team)).toEqual(['support']);
    expect(blockKitProblems(slack[0]?.payload as never)).toEqual([]);
    expect(TeamsWorkflowEnvelope.safeParse(teams[0]?.payload).success).toBe(true);
    expect(messages.filter((m) => m.kind === 'chatbot').map((m) => m.team)).toEqual(['moderation']);
    const page = await (await fetch(`${stack.url}/local/inbox`)).text();
    expect(page).toContain('Question sur Web');
  });

  it('closes the item when its Mark handled button is clicked on the page, and says so in the message', async () => {
    const slack = stack.inbox.messages.find((m) => m.kind === 'slack');
    const blocks =
      (
        slack?.payload as
          | { blocks: { type: string; elements?: { action_id?: string; value?: string }[] }[] }
          | undefined
      )?.blocks ?? [];
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'autopilot.handled');

    const click = await fetch(`${stack.url}/local/inbox/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message: slack?.id,
        action: button?.action_id,
        value: button?.value,
        user: 'U0LOCAL',
      }),
    });
    const open = (await (await fetch(`${stack.url}/threads/open?community=velo`)).json()) as {
      open: unknown[];
    };

    expect(click.status).toBe(200);
    expect(open.open).toEqual([]);
    expect(JSON.stringify(stack.inbox.messages.find((m) => m.id === slack?.id)?.payload)).toContain(
      'Marqué comme traité par <@U0LOCAL>',
    );
  });
});
