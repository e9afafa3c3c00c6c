import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError, ValidationError } from '../../../shared/domain/errors.ts';
import { httpStatusOf } from '../../../shared/http/errors-to-http.ts';
import { githubSource } from '../../../shared/platforms/github.ts';
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

const ctx = context('github');

function signed(
  body: Buffer,
  event: string,
  options: { key?: string; contentType?: string } = {},
): WebhookRequest {
  return post(
    {
      'content-type': options.contentType ?? 'application/json',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-github-hook-id': '480000001',
      'x-hub-signature-256': `sha256=${hmacSha256(options.key ?? 'dev-secret-github', body).toString('hex')}`,
    },
    body,
  );
}

describe('github source: signature', () => {
  it('accepts a discussion signed over the raw bytes', () => {
    const outcome = eventsOf(
      githubSource.handle(signed(fixture('github', 'discussion-created.json'), 'discussion'), ctx),
    );

    expect(outcome.status).toBe(200);
    expect(outcome.events[0]?.comment).toMatchObject({
      id: 'github:discussion/7300001',
      threadId: 'github:discussion/7300001',
      createdAt: '2026-11-20T09:30:00.000Z',
      url: 'https://github.com/velo-lumiere/communaute/discussions/42',
      author: { id: 'antoine-dev', isBrand: false },
    });
    expect(outcome.events[0]?.comment.text).toBe(
      'Intégration Strava : les sorties ne remontent plus ❓\n\nDepuis la mise à jour 2.3 de l’appli, mes sorties ne se synchronisent plus avec Strava. Déconnexion/reconnexion déjà tentée 🙁',
    );
  });

  it('rejects a tampered body with AuthError (401)', () => {
    const request = signed(fixture('github', 'discussion-created.json'), 'discussion');
    const tampered = Buffer.from(request.rawBody.toString('utf8').replace('Strava', 'Komoot'), 'utf8');

    const error = thrownBy(() => githubSource.handle({ ...request, rawBody: tampered }, ctx));

    expect(error).toBeInstanceOf(AuthError);
    expect(httpStatusOf(error)).toBe(401);
  });

  it('rejects a body signed with another secret', () => {
    const request = signed(fixture('github', 'discussion-created.json'), 'discussion', { key: 'wrong' });

    expect(() => githubSource.handle(request, ctx)).toThrow(AuthError);
  });

  it('verifies form-encoded deliveries over the form bytes', () => {
    const json = fixture('github', 'issue-comment-created.json').toString('utf8');
    const form = Buffer.from(new URLSearchParams({ payload: json }).toString(), 'utf8');

    const outcome = eventsOf(
      githubSource.handle(
        signed(form, 'issue_comment', { contentType: 'application/x-www-form-urlencoded' }),
        ctx,
      ),
    );

    expect(outcome.events[0]?.comment.id).toBe('github:issue-comment/3100000001');
  });
});

describe('github source: unsigned event header', () => {
  it('refuses a signed comment delivery replayed as an issue event', () => {
    const request = signed(fixture('github', 'issue-comment-created.json'), 'issues');
    expect(() => githubSource.handle(request, ctx)).toThrow(/does not match the body/);
  });
});

describe('github source: events', () => {
  it('answers a signed ping with 200 and enqueues nothing', () => {
    expect(githubSource.handle(signed(fixture('github', 'ping.json'), 'ping'), ctx)).toEqual({
      kind: 'ignored',
      status: 200,
      reason: 'ping',
    });
  });

  it("recognises the brand's discussion comment as the answer in the member's discussion", () => {
    const [question] = eventsOf(
      githubSource.handle(signed(fixture('github', 'discussion-created.json'), 'discussion'), ctx),
    ).events;
    const [answer] = eventsOf(
      githubSource.handle(
        signed(fixture('github', 'discussion-comment-brand-reply.json'), 'discussion_comment'),
        ctx,
      ),
    ).events;

    expect(answer?.comment.author).toMatchObject({ id: 'velolumiere-bot-free-team', isBrand: true });
    expect(answer?.comment.threadId).toBe(question?.comment.threadId);
    expect(answer?.comment.parentId).toBe(question?.comment.id);
  });

  it('keeps nested discussion replies in the discussion thread, with the comment as parent', () => {
    const [reply] = eventsOf(
      githubSource.handle(
        signed(fixture('github', 'discussion-comment-member-reply.json'), 'discussion_comment'),
        ctx,
      ),
    ).events;

    expect(reply?.comment.threadId).toBe('github:discussion/7300001');
    expect(reply?.comment.parentId).toBe('github:discussion-comment/11200001');
  });

  it('maps issue comments to the issue thread and edits to an edited event keyed by updated_at', () => {
    const [created] = eventsOf(
      githubSource.handle(signed(fixture('github', 'issue-comment-created.json'), 'issue_comment'), ctx),
    ).events;
    const [edited] = eventsOf(
      githubSource.handle(signed(fixture('github', 'issue-comment-edited.json'), 'issue_comment'), ctx),
    ).events;

    expect(created).toMatchObject({ kind: 'created', dedupeKey: 'github:issue-comment/3100000001#created' });
    expect(created?.comment.threadId).toBe('github:issue/2500000057');
    expect(edited).toMatchObject({
      kind: 'edited',
      dedupeKey: 'github:issue-comment/3100000001#edited#2026-11-20T09:50:00.000Z',
    });
  });

  it('yields one dedupe key for three deliveries of the same event', () => {
    const body = fixture('github', 'issue-comment-created.json');

    const keys = [1, 2, 3].map(
      () => eventsOf(githubSource.handle(signed(body, 'issue_comment'), ctx)).events[0]?.dedupeKey,
    );

    expect(new Set(keys).size).toBe(1);
  });

  it('ignores comments by bots that are not the brand, and actions without new text', () => {
    const bot = githubSource.handle(
      signed(fixture('github', 'issue-comment-by-other-bot.json'), 'issue_comment'),
      ctx,
    );
    const pinned = JSON.parse(fixture('github', 'discussion-created.json').toString('utf8'));
    pinned.action = 'pinned';

    expect(bot).toMatchObject({ kind: 'ignored', status: 200 });
    expect(githubSource.handle(signed(Buffer.from(JSON.stringify(pinned)), 'discussion'), ctx)).toMatchObject(
      {
        kind: 'ignored',
      },
    );
    expect(
      githubSource.handle(signed(Buffer.from('{"action":"opened"}'), 'pull_request'), ctx),
    ).toMatchObject({
      kind: 'ignored',
    });
  });

  it('answers 400 naming the field when the comment is malformed', () => {
    const body = JSON.parse(fixture('github', 'issue-comment-created.json').toString('utf8'));
    delete body.comment.user;

    const error = thrownBy(() =>
      githubSource.handle(signed(Buffer.from(JSON.stringify(body)), 'issue_comment'), ctx),
    );

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('comment');
  });

  it('answers 400 when X-GitHub-Event is missing', () => {
    const request = signed(fixture('github', 'discussion-created.json'), 'discussion');
    const { 'x-github-event': _, ...headers } = request.headers;

    expect(() => githubSource.handle({ ...request, headers }, ctx)).toThrow(ValidationError);
  });
});

describe('github source: transferred issues', () => {
  it('does not count an issue transferred in as a new comment', () => {
    const outcome = githubSource.handle(
      signed(fixture('github', 'issues-opened-transferred.json'), 'issues'),
      ctx,
    );

    expect(outcome).toMatchObject({ kind: 'ignored', status: 200 });
    expect(outcome.kind === 'ignored' && outcome.reason).toContain('velo-lumiere/firmware#12');
  });

  it('acknowledges the transferred action sent to the repository the issue left', () => {
    const outcome = githubSource.handle(signed(fixture('github', 'issues-transferred.json'), 'issues'), ctx);

    expect(outcome).toMatchObject({ kind: 'ignored', status: 200 });
  });
});

describe('github source: pull request review comments', () => {
  it('reads a review comment as a conversation of its own on the pull request', () => {
    const [event] = eventsOf(
      githubSource.handle(
        signed(fixture('github', 'pull-request-review-comment-created.json'), 'pull_request_review_comment'),
        ctx,
      ),
    ).events;

    expect(event).toMatchObject({
      kind: 'created',
      dedupeKey: 'github:review-comment/3300000001#created',
      comment: {
        id: 'github:review-comment/3300000001',
        threadId: 'github:review-comment/3300000001',
        parentId: 'github:pull/2700000064',
        createdAt: '2026-11-20T09:40:00.000Z',
        url: 'https://github.com/velo-lumiere/communaute/pull/64#discussion_r3300000001',
        author: { id: 'jonas-radler', isBrand: false },
      },
    });
    expect(event?.comment.text).toContain('Scheibenbremsen');
  });

  it("puts the brand's reply in the member's review conversation", () => {
    const [reply] = eventsOf(
      githubSource.handle(
        signed(
          fixture('github', 'pull-request-review-comment-brand-reply.json'),
          'pull_request_review_comment',
        ),
        ctx,
      ),
    ).events;

    expect(reply?.comment).toMatchObject({
      threadId: 'github:review-comment/3300000001',
      parentId: 'github:review-comment/3300000001',
      author: { id: 'velolumiere-bot-free-team', isBrand: true },
    });
  });
});

describe('github source: author_association', () => {
  it('takes an organization member for a member unless brandAssociations says otherwise', () => {
    const body = fixture('github', 'issue-comment-by-org-member.json');
    const members = context('github', { options: { brandAssociations: ['OWNER', 'MEMBER'] } });

    const [byDefault] = eventsOf(githubSource.handle(signed(body, 'issue_comment'), ctx)).events;
    const [configured] = eventsOf(githubSource.handle(signed(body, 'issue_comment'), members)).events;

    expect(byDefault?.comment.author).toMatchObject({ id: 'claire-support', isBrand: false });
    expect(configured?.comment.author).toMatchObject({ id: 'claire-support', isBrand: true });
  });

  it('never takes a contributor for the brand, whatever brandAssociations lists', () => {
    const body = fixture('github', 'pull-request-review-comment-created.json');
    const collaborators = context('github', { options: { brandAssociations: ['COLLABORATOR'] } });

    const [event] = eventsOf(
      githubSource.handle(signed(body, 'pull_request_review_comment'), collaborators),
    ).events;

    expect(event?.comment.author.isBrand).toBe(false);
  });
});

describe('github source: properties', () => {
  const fixtures = [
    'discussion-created.json',
    'discussion-comment-member-reply.json',
    'issue-comment-created.json',
    'issue-comment-edited.json',
    'issues-opened-transferred.json',
    'pull-request-review-comment-brand-reply.json',
  ].map((f) => fixture('github', f));

  it('never fails with anything but a 400 or 401 on correctly signed arbitrary bodies', () => {
    fc.assert(
      fc.property(
        arbitraryBodies(fixtures),
        fc.constantFrom(
          'discussion',
          'discussion_comment',
          'issue_comment',
          'issues',
          'pull_request_review_comment',
          'ping',
        ),
        (body, event) => assertNeverCrashes(githubSource, ctx, (b) => signed(b, event))(body),
      ),
      { numRuns: 500 },
    );
  });

  it('rejects arbitrary bytes with arbitrary signatures with AuthError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.string({ maxLength: 80 }), (bytes, signature) => {
        const request = post(
          { 'x-github-event': 'issue_comment', 'x-hub-signature-256': signature },
          Buffer.from(bytes),
        );
        expect(() => githubSource.handle(request, ctx)).toThrow(AuthError);
      }),
    );
  });
});
