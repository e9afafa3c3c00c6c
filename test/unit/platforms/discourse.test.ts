import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError, ValidationError } from '../../../shared/domain/errors.ts';
import { httpStatusOf } from '../../../shared/http/errors-to-http.ts';
import { discourseSource } from '../../../shared/platforms/discourse.ts';
import { hmacSha256, type WebhookRequest } from '../../../shared/platforms/source.ts';
import {
  arbitraryBodies,
  assertNeverCrashes,
  context,
  eventsOf,
  fixture,
  post,
  thrownBy,
} from './helpers.ts';

const ctx = context('discourse');

function signed(body: Buffer, event: string, key = 'dev-secret-discourse'): WebhookRequest {
  return post(
    {
      'x-discourse-instance': 'https://forum.velo-lumiere.example',
      // Discourse sends a new event id on every retry of the same event.
      'x-discourse-event-id': randomUUID(),
      'x-discourse-event-type': event === 'ping' ? 'ping' : 'post',
      'x-discourse-event': event,
      'x-discourse-event-signature': `sha256=${hmacSha256(key, body).toString('hex')}`,
    },
    body,
  );
}

describe('discourse source: signature', () => {
  it('accepts a post_created event signed over the raw bytes', () => {
    const outcome = eventsOf(
      discourseSource.handle(signed(fixture('discourse', 'post-created.json'), 'post_created'), ctx),
    );

    expect(outcome.status).toBe(200);
    expect(outcome.events[0]?.comment).toMatchObject({
      id: 'discourse:4101',
      threadId: 'discourse:topic/812',
      text: 'Bonjour à tous ! Quelqu’un a-t-il réussi à régler le couple du moteur en mode « Sport » ? 🤔',
      createdAt: '2026-11-20T09:30:00.000Z',
      url: 'https://forum.velo-lumiere.example/t/regler-le-couple-du-moteur-en-mode-sport/812/1',
      author: { id: 'bastien_g', name: 'Bastien Girard', isBrand: false },
    });
  });

  it('rejects a tampered body with AuthError (401)', () => {
    const request = signed(fixture('discourse', 'post-created.json'), 'post_created');
    const tampered = Buffer.from(request.rawBody.toString('utf8').replace('Sport', 'Éco'), 'utf8');

    const error = thrownBy(() => discourseSource.handle({ ...request, rawBody: tampered }, ctx));

    expect(error).toBeInstanceOf(AuthError);
    expect(httpStatusOf(error)).toBe(401);
  });

  it('rejects a body signed with another secret', () => {
    const request = signed(fixture('discourse', 'post-created.json'), 'post_created', 'wrong');

    expect(() => discourseSource.handle(request, ctx)).toThrow(AuthError);
  });
});

describe('discourse source: unsigned event header', () => {
  it('never takes a signed deletion replayed with a creation header for a new comment', () => {
    const request = signed(fixture('discourse', 'post-destroyed.json'), 'post_created');

    expect(discourseSource.handle(request, ctx)).toMatchObject({ kind: 'ignored', status: 200 });
  });
});

describe('discourse source: deletions', () => {
  it('withdraws a post its author deleted, which Discourse sends with deleted_at null', () => {
    const outcome = eventsOf(
      discourseSource.handle(
        signed(fixture('discourse', 'post-destroyed-by-author.json'), 'post_destroyed'),
        ctx,
      ),
    );

    expect(outcome.status).toBe(200);
    expect(outcome.events).toHaveLength(1);
    expect(outcome.events[0]).toMatchObject({
      kind: 'deleted',
      dedupeKey: 'discourse:4105#deleted',
      comment: { id: 'discourse:4105', threadId: 'discourse:topic/812' },
    });
  });

  it('gives a deletion one dedupe key across retries and the purge that follows, so it counts once', () => {
    const selfDeleted = fixture('discourse', 'post-destroyed-by-author.json');
    const purged = fixture('discourse', 'post-destroyed-by-author-purged.json');

    // Each call signs with a fresh X-Discourse-Event-Id, as Discourse does on every retry.
    const keys = [selfDeleted, selfDeleted, selfDeleted, purged].map(
      (body) => eventsOf(discourseSource.handle(signed(body, 'post_destroyed'), ctx)).events[0]?.dedupeKey,
    );

    expect(new Set(keys)).toEqual(new Set(['discourse:4105#deleted']));
  });

  it('acknowledges post_recovered without enqueueing, saying why', () => {
    const outcome = discourseSource.handle(
      signed(fixture('discourse', 'post-recovered.json'), 'post_recovered'),
      ctx,
    );

    expect(outcome).toMatchObject({ kind: 'ignored', status: 200 });
    expect(outcome.kind === 'ignored' && outcome.reason).toMatch(/undo of a deletion/);
  });
});

describe('discourse source: authors', () => {
  it('falls back to the username when the name is empty', () => {
    const [event] = eventsOf(
      discourseSource.handle(
        signed(fixture('discourse', 'post-created-empty-name.json'), 'post_created'),
        ctx,
      ),
    ).events;

    expect(event?.comment.author).toMatchObject({ id: 'lucas_p', name: 'lucas_p' });
  });

  it("does not take a moderator for the brand unless the source's brandRoles say so", () => {
    const body = fixture('discourse', 'post-created-by-moderator.json');
    const staffAsBrand = context('discourse', { options: { brandRoles: ['moderator'] } });

    const [byDefault] = eventsOf(discourseSource.handle(signed(body, 'post_created'), ctx)).events;
    const [configured] = eventsOf(discourseSource.handle(signed(body, 'post_created'), staffAsBrand)).events;

    expect(byDefault?.comment.author.isBrand).toBe(false);
    expect(configured?.comment.author).toMatchObject({ id: 'modo_julie', isBrand: true });
  });

  it('reads admin and staff flags as brand roles too', () => {
    const body = fixture('discourse', 'post-created-by-moderator.json');
    const admins = context('discourse', { options: { brandRoles: ['admin'] } });
    const staff = context('discourse', { options: { brandRoles: ['staff'] } });

    const [asAdmin] = eventsOf(discourseSource.handle(signed(body, 'post_created'), admins)).events;
    const [asStaff] = eventsOf(discourseSource.handle(signed(body, 'post_created'), staff)).events;

    expect(asAdmin?.comment.author.isBrand).toBe(false);
    expect(asStaff?.comment.author.isBrand).toBe(true);
  });
});

describe('discourse source: events', () => {
  it('answers a signed ping with 200 and enqueues nothing', () => {
    expect(discourseSource.handle(signed(fixture('discourse', 'ping.json'), 'ping'), ctx)).toEqual({
      kind: 'ignored',
      status: 200,
      reason: 'ping',
    });
  });

  it("recognises the brand's reply in the member's topic", () => {
    const [question] = eventsOf(
      discourseSource.handle(signed(fixture('discourse', 'post-created.json'), 'post_created'), ctx),
    ).events;
    const [answer] = eventsOf(
      discourseSource.handle(
        signed(fixture('discourse', 'post-created-brand-reply.json'), 'post_created'),
        ctx,
      ),
    ).events;

    expect(answer?.comment.author.isBrand).toBe(true);
    expect(answer?.comment.threadId).toBe(question?.comment.threadId);
  });

  it('maps post_edited to an edit keyed by post version and post_destroyed to a deletion', () => {
    const [edit] = eventsOf(
      discourseSource.handle(signed(fixture('discourse', 'post-edited.json'), 'post_edited'), ctx),
    ).events;
    const [deletion] = eventsOf(
      discourseSource.handle(signed(fixture('discourse', 'post-destroyed.json'), 'post_destroyed'), ctx),
    ).events;

    expect(edit).toMatchObject({ kind: 'edited', dedupeKey: 'discourse:4101#edited#v2' });
    expect(edit?.comment.text).toContain('sur le C2');
    expect(deletion).toMatchObject({ kind: 'deleted', dedupeKey: 'discourse:4101#deleted' });
  });

  it('yields one dedupe key for three deliveries with three different X-Discourse-Event-Id', () => {
    const body = fixture('discourse', 'post-created.json');

    const keys = [1, 2, 3].map(
      () => eventsOf(discourseSource.handle(signed(body, 'post_created'), ctx)).events[0]?.dedupeKey,
    );

    expect(new Set(keys)).toEqual(new Set(['discourse:4101#created']));
  });

  it('ignores whispers and events that carry no post', () => {
    const whisper = discourseSource.handle(
      signed(fixture('discourse', 'post-created-whisper.json'), 'post_created'),
      ctx,
    );
    const topic = discourseSource.handle(signed(Buffer.from('{"topic":{"id":812}}'), 'topic_created'), ctx);

    expect(whisper).toMatchObject({ kind: 'ignored', status: 200 });
    expect(topic).toMatchObject({ kind: 'ignored', status: 200 });
  });

  it('answers 400 naming the field when the post is malformed', () => {
    const body = Buffer.from(JSON.stringify({ post: { id: 'quatre', username: 'x' } }), 'utf8');

    const error = thrownBy(() => discourseSource.handle(signed(body, 'post_created'), ctx));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('post');
  });

  it('answers 400 when the event header is missing', () => {
    const request = signed(fixture('discourse', 'post-created.json'), 'post_created');
    const { 'x-discourse-event': _, ...headers } = request.headers;

    expect(() => discourseSource.handle({ ...request, headers }, ctx)).toThrow(ValidationError);
  });
});

describe('discourse source: properties', () => {
  const fixtures = [
    'post-created.json',
    'post-edited.json',
    'post-destroyed.json',
    'post-destroyed-by-author.json',
    'post-created-by-moderator.json',
  ].map((f) => fixture('discourse', f));

  it('never fails with anything but a 400 or 401 on correctly signed arbitrary bodies', () => {
    fc.assert(
      fc.property(
        arbitraryBodies(fixtures),
        fc.constantFrom('post_created', 'post_edited', 'post_destroyed', 'post_recovered', 'ping'),
        (body, event) => assertNeverCrashes(discourseSource, ctx, (b) => signed(b, event))(body),
      ),
      { numRuns: 500 },
    );
  });

  it('rejects arbitrary bytes with arbitrary signatures with AuthError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.string({ maxLength: 80 }), (bytes, signature) => {
        const request = post(
          { 'x-discourse-event': 'post_created', 'x-discourse-event-signature': signature },
          Buffer.from(bytes),
        );
        expect(() => discourseSource.handle(request, ctx)).toThrow(AuthError);
      }),
    );
  });
});
