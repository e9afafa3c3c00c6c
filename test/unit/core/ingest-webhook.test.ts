import { describe, expect, it } from 'vitest';
import { ingestWebhook } from '../../../shared/core/ingest-webhook.ts';
import type { CommentQueue } from '../../../shared/core/ports.ts';
import type { CommentEvent } from '../../../shared/domain/comment.ts';
import {
  AuthError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../../../shared/domain/errors.ts';
import { signGenericRequest } from '../../../shared/platforms/generic.ts';
import { SOURCES } from '../../../shared/platforms/index.ts';
import { testConfig } from '../../support/builders.ts';

class MemoryQueue implements CommentQueue {
  readonly events: CommentEvent[] = [];
  async enqueue(events: readonly CommentEvent[]) {
    this.events.push(...events);
  }
}

const now = new Date('2026-11-20T10:00:00Z');
const secrets = { sourceSecret: async (id: string) => ({ signingKey: `dev-secret-${id}` }) };

function setup(maxBodyBytes = 10_000) {
  const queue = new MemoryQueue();
  const deps = {
    config: { ...testConfig(), maxBodyBytes },
    sources: SOURCES,
    secrets,
    queue,
    now: () => now,
  };
  return { queue, deps };
}

function signed(body: string) {
  return {
    method: 'POST',
    headers: signGenericRequest('dev-secret-generic', body, Math.floor(now.getTime() / 1000)),
    query: {},
    rawBody: Buffer.from(body),
  };
}

const body = JSON.stringify({
  id: '42',
  author: { id: 'm1', name: 'Zoé' },
  text: 'Où trouver la notice ?',
  createdAt: '2026-11-20T09:00:00Z',
});

describe('ingesting a webhook', () => {
  it('enqueues the comment and acks 202 with its id', async () => {
    const { queue, deps } = setup();
    const response = await ingestWebhook('generic', signed(body), deps);
    expect(response.status).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ accepted: ['generic:42'] });
    expect(queue.events.map((e) => e.comment.text)).toEqual(['Où trouver la notice ?']);
  });

  it('answers 404 for an unknown source and enqueues nothing', async () => {
    const { queue, deps } = setup();
    await expect(ingestWebhook('nope', signed(body), deps)).rejects.toThrow(NotFoundError);
    expect(queue.events).toHaveLength(0);
  });

  it('answers 413 for a body over the configured limit before checking anything else', async () => {
    const { queue, deps } = setup(100);
    await expect(ingestWebhook('generic', signed(body.padEnd(200)), deps)).rejects.toThrow(
      PayloadTooLargeError,
    );
    expect(queue.events).toHaveLength(0);
  });

  it('answers 401 and enqueues nothing when the signature is wrong', async () => {
    const { queue, deps } = setup();
    const request = { ...signed(body), rawBody: Buffer.from(body.replace('notice', 'facture')) };
    await expect(ingestWebhook('generic', request, deps)).rejects.toThrow(AuthError);
    expect(queue.events).toHaveLength(0);
  });

  it('answers 400 for a broken JSON body', async () => {
    const { queue, deps } = setup();
    await expect(ingestWebhook('generic', signed('{"id": "4'), deps)).rejects.toThrow(ValidationError);
    expect(queue.events).toHaveLength(0);
  });
});
