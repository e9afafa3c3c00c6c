import { describe, expect, it } from 'vitest';
import { ingestWebhook } from '../../../shared/core/ingest-webhook.ts';
import type { CommentQueue } from '../../../shared/core/ports.ts';
import type { CommentEvent } from '../../../shared/domain/comment.ts';
import { SOURCES } from '../../../shared/platforms/index.ts';
import { signMetaRequest } from '../../../shared/platforms/meta.ts';
import { testConfig } from '../../support/builders.ts';
import { fixture, NOW } from './helpers.ts';

/** The platforms through the ingest use case: what is acked, and what reaches the queue. */

class MemoryQueue implements CommentQueue {
  readonly events: CommentEvent[] = [];
  async enqueue(events: readonly CommentEvent[]) {
    this.events.push(...events);
  }
}

function deps(sources = SOURCES) {
  const queue = new MemoryQueue();
  return {
    queue,
    deps: {
      config: testConfig({
        sources: [
          { id: 'generic', type: 'generic', community: 'velo', secretName: 'test/generic' },
          { id: 'meta', type: 'meta', community: 'velo', secretName: 'test/meta' },
        ],
      }),
      sources,
      secrets: { sourceSecret: async (id: string) => ({ signingKey: `dev-secret-${id}` }) },
      queue,
      now: () => NOW,
    },
  };
}

describe('ingesting a Meta delivery', () => {
  it('answers 200, enqueues the good comment and reports the unusable change', async () => {
    const { queue, deps: d } = deps();
    const body = fixture('meta', 'feed-unusable-change-and-comment.json');

    const response = await ingestWebhook(
      'meta',
      { method: 'POST', headers: signMetaRequest('dev-secret-meta', body), query: {}, rawBody: body },
      d,
    );

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      accepted: ['meta:555000000000010_7700000000000014'],
      rejected: [{ index: 0, reason: expect.stringContaining('comment_id') }],
    });
    expect(queue.events.map((e) => e.comment.author.id)).toEqual(['2900000000000014']);
  });

  it('answers 200 and enqueues nothing when the only change is unusable', async () => {
    const { queue, deps: d } = deps();
    const body = Buffer.from(
      JSON.stringify({
        object: 'page',
        entry: [{ id: '1', time: 1, changes: [{ field: 'feed', value: 42 }] }],
      }),
    );

    const response = await ingestWebhook(
      'meta',
      { method: 'POST', headers: signMetaRequest('dev-secret-meta', body), query: {}, rawBody: body },
      d,
    );

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ accepted: [], rejected: [{ index: 0 }] });
    expect(queue.events).toEqual([]);
  });
});
