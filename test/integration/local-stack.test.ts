import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { NotificationMessage } from '../../shared/domain/notification.ts';
import { signGenericRequest } from '../../shared/platforms/generic.ts';
import { testConfig } from '../support/builders.ts';

/** The whole flow as a user runs it: HTTP → queue → process → SNS + DynamoDB, and a restart. */
const config = testConfig({ maxBodyBytes: 20_000 });
const createdAt = new Date().toISOString();
const today = createdAt.slice(0, 10);
const comments = [
  {
    id: 'e2e-1',
    author: { id: 'm-1', name: 'Léa' },
    text: 'Comment régler la hauteur de la selle ?',
    createdAt,
  },
  {
    id: 'e2e-2',
    author: { id: 'm-2', name: 'Sam' },
    text: 'Where is my order? It is two weeks late 😤',
    createdAt,
  },
  {
    id: 'e2e-3',
    threadId: 'e2e-1',
    parentId: 'e2e-1',
    author: { id: 'brand-1', name: 'Vélo' },
    text: 'Bonjour Léa, molette sous la selle.',
    createdAt,
  },
];

describe('the local stack, end to end', () => {
  let stack: LocalStack;
  let dataDir: string;
  let ports: { dynamoPort: number; queuePort: number };

  const start = () => startLocalStack({ config, dataDir, port: 0, ...ports });
  const post = async (body: string, headers: Record<string, string>, source = 'generic') => {
    const response = await fetch(`${stack.url}/webhooks/${source}`, { method: 'POST', body, headers });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const totals = async () => {
    const from = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const response = await fetch(`${stack.url}/kpis?community=velo&from=${from}&to=${to}`);
    return ((await response.json()) as { totals: Record<string, unknown> }).totals;
  };
  const notifications = async () =>
    (await readFile(join(dataDir, 'notifications.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'autopilot-e2e-'));
    ports = { dynamoPort: await freePort(), queuePort: await freePort() };
    stack = await start();
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('accepts signed comments, routes them and counts them', async () => {
    const before = await totals();
    const body = JSON.stringify({ comments });
    const answer = await post(body, signGenericRequest('dev-secret-generic', body));
    expect(answer).toEqual({
      status: 202,
      json: { accepted: ['generic:e2e-1', 'generic:e2e-2', 'generic:e2e-3'] },
    });

    await stack.idle();

    const after = await totals();
    const added = (field: string) => Number(after[field] ?? 0) - Number(before[field] ?? 0);
    expect([added('comments'), added('memberComments'), added('brandReplies')]).toEqual([3, 2, 1]);
    const sent = await notifications();
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const n of sent) {
      expect(NotificationMessage.parse(n.message).team).toBe(n.team);
      expect(n.attributes.schema).toBe('community-autopilot/notification@1');
    }
    expect(sent.some((n) => n.team === 'support' && n.message.comment.id === 'generic:e2e-1')).toBe(true);
  });

  it('changes nothing when the same webhook is delivered twice more', async () => {
    // Its own comments, delivered once first: the test does not lean on the others' data or order.
    const own = comments.map((c) => ({
      ...c,
      id: `replay-${c.id}`,
      ...(c.threadId ? { threadId: `replay-${c.threadId}`, parentId: `replay-${c.parentId}` } : {}),
    }));
    const body = JSON.stringify({ comments: own });
    expect((await post(body, signGenericRequest('dev-secret-generic', body))).status).toBe(202);
    await stack.idle();
    const before = { totals: await totals(), notifications: (await notifications()).length };
    expect(before.notifications).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++)
      expect((await post(body, signGenericRequest('dev-secret-generic', body))).status).toBe(202);
    await stack.idle();
    expect(await totals()).toEqual(before.totals);
    expect((await notifications()).length).toBe(before.notifications);
  });

  it('rejects a wrong signature, a broken body, an unknown source and an oversized body, counting none', async () => {
    const before = await totals();
    const forged = JSON.stringify({ ...comments[0], id: 'forged' });
    expect((await post(forged, signGenericRequest('guess', forged))).status).toBe(401);
    const broken = '{"comments": [{"id": ';
    const malformed = await post(broken, signGenericRequest('dev-secret-generic', broken));
    expect(malformed).toMatchObject({
      status: 400,
      json: { error: 'invalid_request', message: 'body is not valid JSON' },
    });
    expect((await post('{}', {}, 'myspace')).status).toBe(404);
    const huge = JSON.stringify({ ...comments[0], id: 'huge', text: 'a'.repeat(30_000) });
    expect((await post(huge, signGenericRequest('dev-secret-generic', huge))).status).toBe(413);
    await stack.idle();
    expect(await totals()).toEqual(before);
  });

  it('answers 400 naming the parameter for a bad KPI query', async () => {
    const response = await fetch(`${stack.url}/kpis?community=velo&from=${today}&to=tomorrow`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: expect.stringContaining('"to"') });
  });

  it('keeps the counts across a restart', async () => {
    const body = JSON.stringify({ ...comments[0], id: 'restart-1' });
    expect((await post(body, signGenericRequest('dev-secret-generic', body))).status).toBe(202);
    await stack.idle();
    const before = await totals();
    expect(before.comments).toBeGreaterThan(0);
    await stack.stop();
    stack = await start();
    expect(await totals()).toEqual(before);
  }, 90_000);
});
