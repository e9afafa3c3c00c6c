import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, AuthError, ValidationError } from '../../../shared/domain/errors.ts';
import { httpStatusOf } from '../../../shared/http/errors-to-http.ts';
import { genericSource, signGenericRequest } from '../../../shared/platforms/generic.ts';
import type { SourceContext, WebhookRequest } from '../../../shared/platforms/source.ts';
import { testConfig } from '../../support/builders.ts';

const config = testConfig();
const now = new Date('2026-11-20T10:00:00Z');
const ts = Math.floor(now.getTime() / 1000);
const context: SourceContext = {
  source: config.sources[0] as SourceContext['source'],
  community: config.communities[0] as SourceContext['community'],
  secret: { signingKey: 'test-secret' },
  now,
};

function request(body: string, headers = signGenericRequest('test-secret', body, ts)): WebhookRequest {
  return { method: 'POST', headers, query: {}, rawBody: Buffer.from(body, 'utf8') };
}

const comment = {
  id: 'abc',
  author: { id: 'member-9', name: 'Léa' },
  text: 'Pourquoi la livraison est-elle si lente ? 😤',
  createdAt: '2026-11-20T09:59:00+01:00',
};

describe('generic source', () => {
  it('accepts a correctly signed comment with accented text and emoji', () => {
    const outcome = genericSource.handle(request(JSON.stringify(comment)), context);
    expect(outcome.kind).toBe('events');
    if (outcome.kind !== 'events') return;
    expect(outcome.status).toBe(202);
    expect(outcome.events[0]?.comment).toMatchObject({
      id: 'generic:abc',
      threadId: 'generic:abc',
      text: comment.text,
      createdAt: '2026-11-20T08:59:00.000Z',
      author: { id: 'member-9', isBrand: false },
    });
  });

  it('marks a brand account reply and keeps its thread', () => {
    const reply = {
      ...comment,
      id: 'r1',
      threadId: 'abc',
      parentId: 'abc',
      author: { id: 'brand-1', name: 'Vélo' },
    };
    const outcome = genericSource.handle(request(JSON.stringify(reply)), context);
    expect(outcome.kind === 'events' && outcome.events[0]?.comment).toMatchObject({
      threadId: 'generic:abc',
      parentId: 'generic:abc',
      author: { isBrand: true },
    });
  });

  it('rejects a tampered body with 401', () => {
    const body = JSON.stringify(comment);
    const headers = signGenericRequest('test-secret', body, ts);
    expect(() => genericSource.handle(request(body.replace('lente', 'rapide'), headers), context)).toThrow(
      AuthError,
    );
  });

  it('rejects a signature made with another secret', () => {
    const body = JSON.stringify(comment);
    expect(() => genericSource.handle(request(body, signGenericRequest('other', body, ts)), context)).toThrow(
      AuthError,
    );
  });

  it('rejects a timestamp older than five minutes', () => {
    const body = JSON.stringify(comment);
    expect(() =>
      genericSource.handle(request(body, signGenericRequest('test-secret', body, ts - 301)), context),
    ).toThrow(/5-minute window/);
  });

  it('answers 400 naming the problem when the body is not JSON', () => {
    expect(() => genericSource.handle(request('{"id":'), context)).toThrow(
      new ValidationError('body is not valid JSON'),
    );
  });

  it('keeps the valid comments of a batch and reports the invalid ones', () => {
    const body = JSON.stringify({ comments: [comment, { id: 'bad' }, { ...comment, id: 'def' }] });
    const outcome = genericSource.handle(request(body), context);
    if (outcome.kind !== 'events') throw new Error('expected events');
    expect(outcome.events.map((e) => e.comment.id)).toEqual(['generic:abc', 'generic:def']);
    expect(outcome.rejected).toHaveLength(1);
    expect(outcome.rejected[0]).toMatchObject({ index: 1 });
    expect(outcome.rejected[0]?.reason).toMatch(/author/);
  });

  it('gives the same dedupe keys to the same delivery sent three times', () => {
    const body = JSON.stringify(comment);
    const keys = [1, 2, 3].map(() => {
      const outcome = genericSource.handle(request(body), context);
      return outcome.kind === 'events' ? outcome.events.map((e) => e.dedupeKey) : [];
    });
    expect(new Set(keys.flat()).size).toBe(1);
  });

  it('never fails with anything but a 4xx on arbitrary signed bodies', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')),
        ),
        (body) => {
          try {
            genericSource.handle(request(body), context);
          } catch (error) {
            expect(error).toBeInstanceOf(AppError);
            expect(httpStatusOf(error)).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('signature digests', () => {
  it('refuses a digest with extra characters after the right one', () => {
    const body = JSON.stringify(comment);
    const headers = signGenericRequest('test-secret', body, ts);
    const padded = { ...headers, 'x-signature-256': `${headers['x-signature-256']}0` };
    expect(() => genericSource.handle(request(body, padded), context)).toThrow(AuthError);
  });

  it('refuses a signature without its sha256= prefix', () => {
    const body = JSON.stringify(comment);
    const headers = signGenericRequest('test-secret', body, ts);
    const bare = { ...headers, 'x-signature-256': headers['x-signature-256'].slice('sha256='.length) };
    expect(() => genericSource.handle(request(body, bare), context)).toThrow(AuthError);
  });
});
