import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError, ValidationError } from '../../../shared/domain/errors.ts';
import { httpStatusOf } from '../../../shared/http/errors-to-http.ts';
import { metaSource } from '../../../shared/platforms/meta.ts';
import { hmacSha256, type WebhookRequest } from '../../../shared/platforms/source.ts';
import {
  arbitraryBodies,
  assertNeverCrashes,
  context,
  eventsOf,
  fixture,
  fixtureJson,
  post,
  thrownBy,
} from './helpers.ts';

const ctx = context('meta', { verifyToken: 'dev-verify-token' });

function signed(body: Buffer, key = 'dev-secret-meta'): WebhookRequest {
  return post({ 'x-hub-signature-256': `sha256=${hmacSha256(key, body).toString('hex')}` }, body);
}

function verification(query: Record<string, string>): WebhookRequest {
  return { method: 'GET', headers: {}, query, rawBody: Buffer.alloc(0) };
}

describe('meta source: signature', () => {
  it('accepts a Page feed batch signed with the app secret over the raw, \\u-escaped bytes', () => {
    const body = fixture('meta', 'feed-comments-batch.json');

    const outcome = eventsOf(metaSource.handle(signed(body), ctx));

    expect(outcome.status).toBe(200);
    expect(outcome.events.map((e) => e.comment.platformId)).toEqual([
      '555000000000001_7700000000000001',
      '555000000000001_7700000000000002',
      '555000000000002_7700000000000003',
      '555000000000002_7700000000000004',
    ]);
    expect(outcome.events[0]?.comment.text).toBe(
      "Bonjour ! Est-ce que la batterie du Vélo Lumière C2 tient bien l'hiver à -5°C ? ❄️🚲",
    );
    expect(outcome.events[0]?.comment.author).toEqual({
      id: '2900000000000001',
      name: 'Camille Lefèvre',
      isBrand: false,
      isAutomated: false,
    });
  });

  it('rejects a body changed by one byte after signing with AuthError (401)', () => {
    const body = fixture('meta', 'feed-comments-batch.json');
    const request = signed(body);
    const tampered = Buffer.from(body.toString('utf8').replace('Camille', 'Camilla'), 'utf8');

    const error = thrownBy(() => metaSource.handle({ ...request, rawBody: tampered }, ctx));

    expect(error).toBeInstanceOf(AuthError);
    expect(httpStatusOf(error)).toBe(401);
  });

  it('rejects a body signed with another secret', () => {
    const body = fixture('meta', 'feed-comments-batch.json');

    expect(() => metaSource.handle(signed(body, 'not-the-app-secret'), ctx)).toThrow(AuthError);
  });

  it('rejects a call without X-Hub-Signature-256', () => {
    expect(() => metaSource.handle(post({}, fixture('meta', 'feed-comments-batch.json')), ctx)).toThrow(
      AuthError,
    );
  });
});

describe('meta source: verification handshake', () => {
  it('echoes hub.challenge byte for byte as text/plain when the verify token matches', () => {
    const outcome = metaSource.handle(
      verification({
        'hub.mode': 'subscribe',
        'hub.verify_token': 'dev-verify-token',
        'hub.challenge': '1158201444',
      }),
      ctx,
    );

    expect(outcome).toEqual({
      kind: 'handshake',
      status: 200,
      contentType: 'text/plain',
      body: '1158201444',
    });
  });

  it('refuses the handshake with AuthError when the verify token is wrong', () => {
    const request = verification({
      'hub.mode': 'subscribe',
      'hub.verify_token': 'guess',
      'hub.challenge': '1158201444',
    });

    expect(() => metaSource.handle(request, ctx)).toThrow(AuthError);
  });

  it('refuses the handshake when the secret holds no verify token', () => {
    const request = verification({ 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' });

    expect(() => metaSource.handle(request, context('meta'))).toThrow(AuthError);
  });

  it('answers 400 to a GET that is not a subscription check', () => {
    expect(() => metaSource.handle(verification({ 'hub.mode': 'unsubscribe' }), ctx)).toThrow(
      ValidationError,
    );
  });
});

describe('meta source: parsing', () => {
  it('maps add, edited and remove verbs to created, edited and deleted, and skips reactions', () => {
    const outcome = eventsOf(metaSource.handle(signed(fixture('meta', 'feed-comments-batch.json')), ctx));

    expect(outcome.events.map((e) => e.kind)).toEqual(['created', 'created', 'edited', 'deleted']);
    expect(outcome.rejected).toEqual([]);
  });

  it('recognises the Page replying to a member as the brand, in the member comment thread', () => {
    const outcome = eventsOf(metaSource.handle(signed(fixture('meta', 'feed-comments-batch.json')), ctx));
    const [question, answer] = outcome.events;

    expect(answer?.comment.author.isBrand).toBe(true);
    expect(answer?.comment.threadId).toBe(question?.comment.threadId);
    expect(answer?.comment.parentId).toBe(question?.comment.id);
    expect(question?.comment.id).toBe('meta:555000000000001_7700000000000001');
    expect(question?.comment.createdAt).toBe('2026-11-20T09:30:00.000Z');
    expect(question?.comment.url).toBe(
      'https://www.facebook.com/104857600000001/posts/555000000000001?comment_id=7700000000000001',
    );
  });

  it('keeps the good changes of a batch and reports the bad ones by position', () => {
    const outcome = eventsOf(
      metaSource.handle(signed(fixture('meta', 'feed-batch-with-bad-change.json')), ctx),
    );

    expect(outcome.events.map((e) => e.comment.platformId)).toEqual([
      '555000000000003_7700000000000005',
      '555000000000003_7700000000000007',
    ]);
    expect(outcome.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(outcome.rejected[0]?.reason).toContain('comment_id');
  });

  it('reads Instagram comments and live comments, the account replying being the brand', () => {
    const outcome = eventsOf(metaSource.handle(signed(fixture('meta', 'instagram-comments.json')), ctx));
    const [question, answer, live] = outcome.events;

    expect(outcome.events.map((e) => e.comment.platform)).toEqual(['instagram', 'instagram', 'instagram']);
    expect(question?.comment.text).toBe('Il est dispo en vert sauge ? 😍🌿 Je craque !');
    expect(answer?.comment.author).toMatchObject({
      id: '17841400000000001',
      name: 'velolumiere',
      isBrand: true,
    });
    expect(answer?.comment.threadId).toBe(question?.comment.threadId);
    expect(live?.comment.createdAt).toBe('2026-11-20T09:34:20.000Z');
  });

  it('gives an edit a key that changes with the text, so a second edit is not taken for a replay', () => {
    const first = fixtureJson('meta', 'feed-comments-batch.json');
    const body = (message: string) => {
      const copy = structuredClone(first) as { entry: { changes: { value: { message?: string } }[] }[] };
      const change = copy.entry[1]?.changes[0];
      if (change) change.value.message = message;
      return Buffer.from(JSON.stringify(copy), 'utf8');
    };

    const a = eventsOf(metaSource.handle(signed(body('version une')), ctx)).events[2];
    const b = eventsOf(metaSource.handle(signed(body('version deux')), ctx)).events[2];

    expect(a?.kind).toBe('edited');
    expect(a?.dedupeKey).not.toBe(b?.dedupeKey);
  });

  it('yields identical dedupe keys when Meta delivers the same batch three times', () => {
    const body = fixture('meta', 'feed-comments-batch.json');

    const keys = [1, 2, 3].map(() =>
      eventsOf(metaSource.handle(signed(body), ctx)).events.map((e) => e.dedupeKey),
    );

    expect(new Set(keys.flat()).size).toBe(keys[0]?.length);
    expect(keys[1]).toEqual(keys[0]);
    expect(keys[2]).toEqual(keys[0]);
  });

  it('answers 200 and enqueues nothing for objects that carry no comment', () => {
    const body = Buffer.from(
      JSON.stringify({ object: 'permissions', entry: [{ id: '1', time: 1 }] }),
      'utf8',
    );

    expect(metaSource.handle(signed(body), ctx)).toMatchObject({ kind: 'ignored', status: 200 });
  });

  it('answers 400 naming the problem when the body is not JSON or not a notification', () => {
    const notJson = thrownBy(() =>
      metaSource.handle(signed(Buffer.from('{"object": "page", ', 'utf8')), ctx),
    );
    const noEntry = thrownBy(() => metaSource.handle(signed(Buffer.from('{"object":"page"}', 'utf8')), ctx));

    expect(notJson).toBeInstanceOf(ValidationError);
    expect((notJson as Error).message).toContain('JSON');
    expect(noEntry).toBeInstanceOf(ValidationError);
    expect((noEntry as Error).message).toContain('entry');
  });

  it('answers 200 and reports every change when none of them is usable', () => {
    const body = Buffer.from(
      JSON.stringify({
        object: 'page',
        entry: [{ id: '1', time: 1, changes: [{ field: 'feed', value: 42 }] }],
      }),
      'utf8',
    );

    const outcome = eventsOf(metaSource.handle(signed(body), ctx));

    expect(outcome).toMatchObject({ status: 200, events: [] });
    expect(outcome.rejected.map((r) => r.index)).toEqual([0]);
  });
});

describe('meta source: changes with no comment', () => {
  it('answers 200 to a hide by a numeric from.id, a reaction and fields that carry no value', () => {
    const outcome = metaSource.handle(signed(fixture('meta', 'feed-changes-without-comment.json')), ctx);

    expect(outcome).toMatchObject({ kind: 'ignored', status: 200 });
  });

  it('enqueues the good comment and reports the unusable change of the same delivery', () => {
    const outcome = eventsOf(
      metaSource.handle(signed(fixture('meta', 'feed-unusable-change-and-comment.json')), ctx),
    );

    expect(outcome.status).toBe(200);
    expect(outcome.events.map((e) => e.comment.platformId)).toEqual(['555000000000010_7700000000000014']);
    expect(outcome.rejected).toEqual([{ index: 0, reason: expect.stringContaining('comment_id') }]);
  });

  it('maps the verb edit that visitor-post edits carry to an edit', () => {
    const body = fixtureJson('meta', 'feed-comments-batch.json') as {
      entry: { changes: { value: { verb?: string } }[] }[];
    };
    const change = body.entry[1]?.changes[0];
    if (change) change.value.verb = 'edit';

    const outcome = eventsOf(metaSource.handle(signed(Buffer.from(JSON.stringify(body))), ctx));

    expect(outcome.events.map((e) => e.kind)).toEqual(['created', 'created', 'edited', 'deleted']);
  });
});

describe('meta source: older payload shapes', () => {
  it('keeps the author given as sender_id / sender_name, to the digit beyond 2^53', () => {
    const outcome = eventsOf(metaSource.handle(signed(fixture('meta', 'feed-sender-shape.json')), ctx));
    const [comment, deletion] = outcome.events;

    expect(outcome.rejected).toEqual([]);
    expect(comment?.comment.author).toMatchObject({ id: '26000000000000017', name: 'Paul Lambert' });
    expect(deletion).toMatchObject({
      kind: 'deleted',
      comment: { author: { id: '2900000000000016', name: 'Élise Garnier' } },
    });
  });

  it('reads Instagram comments that have no from, and rejects only the change with no comment', () => {
    const outcome = eventsOf(
      metaSource.handle(signed(fixture('meta', 'instagram-comments-without-from.json')), ctx),
    );

    expect(outcome.status).toBe(200);
    expect(outcome.events).toHaveLength(1);
    expect(outcome.events[0]?.comment).toMatchObject({
      platformId: '17900000000000011',
      text: 'Vous livrez en Belgique ? 🇧🇪',
      author: { id: 'unknown', isBrand: false, unidentified: true },
    });
    expect(outcome.rejected.map((r) => r.index)).toEqual([1]);
  });
});

describe('meta source: mentions', () => {
  it('reads a Page mention that carries its text, skips one with ids only, withdraws a removed one', () => {
    const outcome = eventsOf(metaSource.handle(signed(fixture('meta', 'page-mentions.json')), ctx));
    const [mention, removal] = outcome.events;

    expect(outcome.events.map((e) => e.kind)).toEqual(['created', 'deleted']);
    expect(mention?.comment).toMatchObject({
      id: 'meta:3100000000000001_4400000000000001',
      threadId: 'meta:3100000000000001_4400000000000001',
      platform: 'facebook',
      author: { id: '3100000000000001', name: 'Atelier Vélo Nantes', isBrand: false },
    });
    expect(mention?.comment.text).toContain('qui vient la semaine prochaine ?');
    expect(removal?.comment.id).toBe(mention?.comment.id);
    expect(outcome.rejected).toEqual([]);
  });

  it('acknowledges Instagram @mentions, which carry ids only, saying so', () => {
    const outcome = metaSource.handle(signed(fixture('meta', 'instagram-mentions.json')), ctx);

    expect(outcome).toMatchObject({ kind: 'ignored', status: 200 });
    expect(outcome.kind === 'ignored' && outcome.reason).toMatch(/mentions.*ids only/);
  });
});

describe('meta source: properties', () => {
  const fixtures = [
    'feed-comments-batch.json',
    'feed-batch-with-bad-change.json',
    'instagram-comments.json',
    'feed-changes-without-comment.json',
    'feed-sender-shape.json',
    'page-mentions.json',
  ].map((f) => fixture('meta', f));

  it('never fails with anything but a 400 or 401 on correctly signed arbitrary bodies', () => {
    fc.assert(
      fc.property(
        arbitraryBodies(fixtures),
        assertNeverCrashes(metaSource, ctx, (b) => signed(b)),
      ),
      {
        numRuns: 500,
      },
    );
  });

  it('rejects arbitrary bytes under an arbitrary signature with AuthError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.string({ maxLength: 80 }), (bytes, signature) => {
        const request = post({ 'x-hub-signature-256': signature }, Buffer.from(bytes));
        expect(() => metaSource.handle(request, ctx)).toThrow(AuthError);
      }),
    );
  });
});
