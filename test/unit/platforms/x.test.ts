import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError, ValidationError } from '../../../shared/domain/errors.ts';
import { httpStatusOf } from '../../../shared/http/errors-to-http.ts';
import { hmacSha256, type WebhookRequest } from '../../../shared/platforms/source.ts';
import { xSource } from '../../../shared/platforms/x.ts';
import {
  arbitraryBodies,
  assertNeverCrashes,
  context,
  eventsOf,
  fixture,
  post,
  thrownBy,
} from './helpers.ts';

const ctx = context('x');

function signed(body: Buffer, key = 'dev-secret-x'): WebhookRequest {
  return post({ 'x-twitter-webhooks-signature': `sha256=${hmacSha256(key, body).toString('base64')}` }, body);
}

describe('x source: CRC', () => {
  it('answers the CRC with the base64 HMAC of the token, byte for byte', () => {
    const outcome = xSource.handle(
      {
        method: 'GET',
        headers: {},
        query: { crc_token: 'Rk9PQkFSLWNyYy10b2tlbg' },
        rawBody: Buffer.alloc(0),
      },
      ctx,
    );

    const expected = hmacSha256('dev-secret-x', 'Rk9PQkFSLWNyYy10b2tlbg').toString('base64');
    expect(outcome).toEqual({
      kind: 'handshake',
      status: 200,
      contentType: 'application/json',
      body: `{"response_token":"sha256=${expected}"}`,
    });
  });

  it('refuses to sign a crc_token that could be a delivery body (it would forge a signed delivery)', () => {
    const forged = JSON.stringify({ for_user_id: '1', tweet_create_events: [] });
    expect(() =>
      xSource.handle(
        { method: 'GET', headers: {}, query: { crc_token: forged }, rawBody: Buffer.alloc(0) },
        ctx,
      ),
    ).toThrow(ValidationError);
  });

  it('answers 400 to a GET without crc_token', () => {
    expect(() =>
      xSource.handle({ method: 'GET', headers: {}, query: {}, rawBody: Buffer.alloc(0) }, ctx),
    ).toThrow(ValidationError);
  });
});

describe('x source: signature', () => {
  it('accepts a delivery signed with the consumer secret (base64) over the raw bytes', () => {
    const outcome = eventsOf(xSource.handle(signed(fixture('x', 'tweet-create-mentions.json')), ctx));

    expect(outcome.status).toBe(200);
    expect(outcome.events.map((e) => e.dedupeKey)).toEqual([
      'x:1800000000000000001#created',
      'x:1800000000000000002#created',
    ]);
  });

  it('rejects a tampered body with AuthError (401)', () => {
    const request = signed(fixture('x', 'tweet-create-mentions.json'));
    const tampered = Buffer.from(request.rawBody.toString('utf8').replace('48213', '48214'), 'utf8');

    const error = thrownBy(() => xSource.handle({ ...request, rawBody: tampered }, ctx));

    expect(error).toBeInstanceOf(AuthError);
    expect(httpStatusOf(error)).toBe(401);
  });

  it('rejects a body signed with another secret, or hex-encoded', () => {
    const body = fixture('x', 'tweet-create-mentions.json');
    const hex = post(
      { 'x-twitter-webhooks-signature': `sha256=${hmacSha256('dev-secret-x', body).toString('hex')}` },
      body,
    );

    expect(() => xSource.handle(signed(body, 'wrong'), ctx)).toThrow(AuthError);
    expect(() => xSource.handle(hex, ctx)).toThrow(AuthError);
  });
});

describe('x source: tweets', () => {
  it('reads mentions with their full text, author and permalink', () => {
    const [first, second] = eventsOf(
      xSource.handle(signed(fixture('x', 'tweet-create-mentions.json')), ctx),
    ).events;

    expect(first?.comment).toMatchObject({
      id: 'x:1800000000000000001',
      threadId: 'x:1800000000000000001',
      createdAt: '2026-11-20T09:30:00.000Z',
      url: 'https://x.com/julie_velotaf/status/1800000000000000001',
      author: { id: '1500000000000000001', name: '@julie_velotaf', isBrand: false },
    });
    expect(second?.comment.text).toContain('sans que le vélo bascule');
    expect(second?.comment.text).not.toContain('t.co');
  });

  it("recognises the brand's reply in the thread of the member's tweet", () => {
    const [question] = eventsOf(
      xSource.handle(signed(fixture('x', 'tweet-create-mentions.json')), ctx),
    ).events;
    const [answer] = eventsOf(
      xSource.handle(signed(fixture('x', 'tweet-create-brand-reply.json')), ctx),
    ).events;

    expect(answer?.comment.author.isBrand).toBe(true);
    expect(answer?.comment.threadId).toBe(question?.comment.threadId);
    expect(answer?.comment.parentId).toBe(question?.comment.id);
  });

  it('turns tweet_delete_events into deletions', () => {
    const [deletion] = eventsOf(xSource.handle(signed(fixture('x', 'tweet-delete.json')), ctx)).events;

    expect(deletion).toMatchObject({ kind: 'deleted', dedupeKey: 'x:1800000000000000002#deleted' });
  });

  it('yields identical dedupe keys when the same delivery arrives three times', () => {
    const body = fixture('x', 'tweet-create-mentions.json');

    const keys = [1, 2, 3].map(() =>
      eventsOf(xSource.handle(signed(body), ctx)).events.map((e) => e.dedupeKey),
    );

    expect(keys[1]).toEqual(keys[0]);
    expect(keys[2]).toEqual(keys[0]);
  });

  it('keeps the valid tweets of a batch and reports the bad one', () => {
    const body = JSON.parse(fixture('x', 'tweet-create-mentions.json').toString('utf8'));
    body.tweet_create_events[0].id_str = 'not-an-id';

    const outcome = eventsOf(xSource.handle(signed(Buffer.from(JSON.stringify(body), 'utf8')), ctx));

    expect(outcome.events.map((e) => e.comment.platformId)).toEqual(['1800000000000000002']);
    expect(outcome.rejected).toMatchObject([{ index: 0 }]);
  });

  it('acknowledges activity that carries no tweet (likes) without enqueuing', () => {
    expect(xSource.handle(signed(fixture('x', 'favorite-event.json')), ctx)).toMatchObject({
      kind: 'ignored',
      status: 200,
    });
  });

  it('answers 400 naming the problem for a body that is not an Account Activity event', () => {
    const error = thrownBy(() =>
      xSource.handle(signed(Buffer.from('{"tweet_create_events":[]}', 'utf8')), ctx),
    );

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('for_user_id');
  });
});

describe('x source: properties', () => {
  const fixtures = ['tweet-create-mentions.json', 'tweet-create-brand-reply.json', 'tweet-delete.json'].map(
    (f) => fixture('x', f),
  );

  it('never fails with anything but a 400 or 401 on correctly signed arbitrary bodies', () => {
    fc.assert(
      fc.property(
        arbitraryBodies(fixtures),
        assertNeverCrashes(xSource, ctx, (b) => signed(b)),
      ),
      {
        numRuns: 500,
      },
    );
  });

  it('answers any CRC token with a well-formed response or a 400', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (token) => {
        const request = { method: 'GET', headers: {}, query: { crc_token: token }, rawBody: Buffer.alloc(0) };
        try {
          const outcome = xSource.handle(request, ctx);
          expect(outcome.kind === 'handshake' && JSON.parse(outcome.body).response_token).toMatch(/^sha256=/);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
    );
  });

  it('rejects arbitrary bytes with arbitrary signatures with AuthError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.string({ maxLength: 80 }), (bytes, signature) => {
        const request = post({ 'x-twitter-webhooks-signature': signature }, Buffer.from(bytes));
        expect(() => xSource.handle(request, ctx)).toThrow(AuthError);
      }),
    );
  });
});
