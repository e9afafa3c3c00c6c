import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError, ValidationError } from '../../../shared/domain/errors.ts';
import { httpStatusOf } from '../../../shared/http/errors-to-http.ts';
import { slackSource } from '../../../shared/platforms/slack.ts';
import { hmacSha256, type WebhookRequest } from '../../../shared/platforms/source.ts';
import {
  arbitraryBodies,
  assertNeverCrashes,
  context,
  eventsOf,
  fixture,
  fixtureJson,
  NOW_SECONDS,
  post,
  thrownBy,
} from './helpers.ts';

const ctx = context('slack', {
  options: { channels: ['C0ENTRAIDE1'], workspaceUrl: 'https://velo-lumiere.slack.com' },
});

function signed(
  body: Buffer,
  options: { key?: string; timestamp?: string; retry?: string } = {},
): WebhookRequest {
  const timestamp = options.timestamp ?? NOW_SECONDS;
  const signature = hmacSha256(options.key ?? 'dev-secret-slack', `v0:${timestamp}:`, body).toString('hex');
  return post(
    {
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${signature}`,
      ...(options.retry
        ? { 'x-slack-retry-num': options.retry, 'x-slack-retry-reason': 'http_timeout' }
        : {}),
    },
    body,
  );
}

describe('slack source: signature and replay window', () => {
  it('accepts a message signed with the v0 scheme over timestamp and raw bytes', () => {
    const outcome = eventsOf(slackSource.handle(signed(fixture('slack', 'message.json')), ctx));

    expect(outcome.status).toBe(200);
    expect(outcome.events).toHaveLength(1);
    expect(outcome.events[0]?.comment.text).toBe(
      "Bonjour 👋 ma batterie affiche l'erreur « E12 » après la pluie, c'est grave ? <urgent> & merci",
    );
  });

  it('rejects a tampered body with AuthError (401)', () => {
    const request = signed(fixture('slack', 'message.json'));
    const tampered = Buffer.from(request.rawBody.toString('utf8').replace('E12', 'E13'), 'utf8');

    const error = thrownBy(() => slackSource.handle({ ...request, rawBody: tampered }, ctx));

    expect(error).toBeInstanceOf(AuthError);
    expect(httpStatusOf(error)).toBe(401);
  });

  it('rejects a body signed with another secret', () => {
    expect(() => slackSource.handle(signed(fixture('slack', 'message.json'), { key: 'other' }), ctx)).toThrow(
      AuthError,
    );
  });

  it('rejects a correctly signed request whose timestamp is older than 5 minutes', () => {
    const stale = String(Number(NOW_SECONDS) - 301);

    const error = thrownBy(() =>
      slackSource.handle(signed(fixture('slack', 'message.json'), { timestamp: stale }), ctx),
    );

    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('5-minute');
  });

  it('rejects a signature whose timestamp header was swapped after signing', () => {
    const request = signed(fixture('slack', 'message.json'));
    const swapped = { ...request.headers, 'x-slack-request-timestamp': String(Number(NOW_SECONDS) - 10) };

    expect(() => slackSource.handle({ ...request, headers: swapped }, ctx)).toThrow(AuthError);
  });
});

describe('slack source: url_verification', () => {
  it('echoes the challenge byte for byte', () => {
    const outcome = slackSource.handle(signed(fixture('slack', 'url-verification.json')), ctx);

    expect(outcome).toEqual({
      kind: 'handshake',
      status: 200,
      contentType: 'text/plain',
      body: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
  });

  it('does not answer an unsigned url_verification', () => {
    const request = post({}, fixture('slack', 'url-verification.json'));

    expect(() => slackSource.handle(request, ctx)).toThrow(AuthError);
  });
});

describe('slack source: messages', () => {
  it('builds channel-scoped ids, thread and permalink from the message ts', () => {
    const [event] = eventsOf(slackSource.handle(signed(fixture('slack', 'message.json')), ctx)).events;

    expect(event?.dedupeKey).toBe('slack:Ev0Q00000001');
    expect(event?.comment).toMatchObject({
      id: 'slack:C0ENTRAIDE1/1795167000.000100',
      threadId: 'slack:C0ENTRAIDE1/1795167000.000100',
      createdAt: '2026-11-20T09:30:00.000Z',
      url: 'https://velo-lumiere.slack.com/archives/C0ENTRAIDE1/p1795167000000100',
      author: { id: 'U0MEMBER001', name: 'Élodie', isBrand: false },
    });
  });

  it("counts the brand's own bot reply as the brand's answer in the member's thread", () => {
    const [question] = eventsOf(slackSource.handle(signed(fixture('slack', 'message.json')), ctx)).events;
    const [answer] = eventsOf(
      slackSource.handle(signed(fixture('slack', 'brand-bot-reply.json')), ctx),
    ).events;

    expect(answer?.comment.author).toMatchObject({ id: 'U0BRAND001', isBrand: true });
    expect(answer?.comment.threadId).toBe(question?.comment.threadId);
    expect(answer?.comment.parentId).toBe(question?.comment.id);
  });

  it('ignores messages of other bots', () => {
    expect(slackSource.handle(signed(fixture('slack', 'other-bot-message.json')), ctx)).toMatchObject({
      kind: 'ignored',
      status: 200,
    });
  });

  it('ignores channel housekeeping such as joins', () => {
    expect(slackSource.handle(signed(fixture('slack', 'channel-join.json')), ctx)).toMatchObject({
      kind: 'ignored',
    });
  });

  it('ignores channels that are not configured', () => {
    const elsewhere = context('slack', { options: { channels: ['C0ANNONCES1'] } });

    expect(slackSource.handle(signed(fixture('slack', 'message.json')), elsewhere)).toMatchObject({
      kind: 'ignored',
      status: 200,
    });
  });

  it('turns message_changed into an edit of the original message', () => {
    const [event] = eventsOf(
      slackSource.handle(signed(fixture('slack', 'message-changed.json')), ctx),
    ).events;

    expect(event?.kind).toBe('edited');
    expect(event?.comment.id).toBe('slack:C0ENTRAIDE1/1795167000.000100');
    expect(event?.comment.text).toContain('(modèle C2)');
  });

  it('turns message_deleted into a deletion of the original message', () => {
    const [event] = eventsOf(
      slackSource.handle(signed(fixture('slack', 'message-deleted.json')), ctx),
    ).events;

    expect(event?.kind).toBe('deleted');
    expect(event?.comment.id).toBe('slack:C0ENTRAIDE1/1795167000.000100');
  });

  it('yields the same dedupe key for the original delivery and two retries', () => {
    const body = fixture('slack', 'message.json');

    const keys = [undefined, '1', '2'].map(
      (retry) => eventsOf(slackSource.handle(signed(body, retry ? { retry } : {}), ctx)).events[0]?.dedupeKey,
    );

    expect(keys).toEqual(['slack:Ev0Q00000001', 'slack:Ev0Q00000001', 'slack:Ev0Q00000001']);
  });

  it('answers 400 naming the problem for a body that is not an Events API request', () => {
    const notJson = thrownBy(() => slackSource.handle(signed(Buffer.from('token=abc&text=hi', 'utf8')), ctx));
    const noTs = thrownBy(() =>
      slackSource.handle(
        signed(
          Buffer.from(
            JSON.stringify({
              type: 'event_callback',
              event_id: 'Ev1',
              event: { type: 'message', channel: 'C0ENTRAIDE1', user: 'U1', text: 'salut' },
            }),
          ),
        ),
        ctx,
      ),
    );

    expect(notJson).toBeInstanceOf(ValidationError);
    expect(noTs).toBeInstanceOf(ValidationError);
    expect((noTs as Error).message).toContain('ts');
  });
});

describe('slack source: automated messages', () => {
  it('ignores Slackbot, which sends no bot_id', () => {
    const outcome = slackSource.handle(signed(fixture('slack', 'slackbot-notice.json')), ctx);

    expect(outcome).toMatchObject({ kind: 'ignored', status: 200 });
  });

  it('takes the tombstone Slack leaves for a deleted thread parent for a deletion', () => {
    const [event] = eventsOf(
      slackSource.handle(signed(fixture('slack', 'message-changed-tombstone.json')), ctx),
    ).events;

    expect(event).toMatchObject({
      kind: 'deleted',
      dedupeKey: 'slack:Ev0Q00000012',
      comment: { id: 'slack:C0ENTRAIDE1/1795167000.000100' },
    });
  });

  it('ignores a message_changed whose inner message is channel housekeeping', () => {
    const body = fixtureJson('slack', 'message-changed.json') as {
      event: { message: Record<string, unknown> };
    };
    body.event.message.subtype = 'channel_topic';

    const outcome = slackSource.handle(signed(Buffer.from(JSON.stringify(body))), ctx);

    expect(outcome).toMatchObject({ kind: 'ignored', status: 200 });
  });
});

describe('slack source: changes that are not edits', () => {
  it('ignores a message_changed that only adds a link preview', () => {
    const outcome = slackSource.handle(signed(fixture('slack', 'message-changed-unfurl.json')), ctx);

    expect(outcome).toMatchObject({ kind: 'ignored', status: 200 });
    expect(outcome.kind === 'ignored' && outcome.reason).toMatch(/preview/);
  });
});

describe('slack source: shares', () => {
  it('takes the text of a forwarded message and says it is a share', () => {
    const [event] = eventsOf(
      slackSource.handle(signed(fixture('slack', 'message-forwarded.json')), ctx),
    ).events;

    expect(event?.comment.text).toBe(
      'La batterie de mon C2 ne charge plus au-delà de 80 %, quelqu’un a une idée ?',
    );
    expect(event?.comment.sharedFrom).toEqual({
      authorId: 'U0MEMBER005',
      authorName: 'Marie Lemoine',
      url: 'https://velo-lumiere.slack.com/archives/C0ANNONCES1/p1795160000000200',
    });
    expect(event?.comment.author.id).toBe('U0MEMBER004');
  });

  it('keeps the words of someone who forwards with a comment, and still says it is a share', () => {
    const body = fixtureJson('slack', 'message-forwarded.json') as { event: { text: string } };
    body.event.text = 'Même problème que Marie, une idée ?';

    const [event] = eventsOf(slackSource.handle(signed(Buffer.from(JSON.stringify(body))), ctx)).events;

    expect(event?.comment.text).toBe('Même problème que Marie, une idée ?');
    expect(event?.comment.sharedFrom?.authorId).toBe('U0MEMBER005');
  });

  it('never enqueues a message with no text at all', () => {
    const photo = slackSource.handle(signed(fixture('slack', 'file-share-without-text.json')), ctx);
    const body = fixtureJson('slack', 'message-forwarded.json') as {
      event: { attachments: Record<string, unknown>[] };
    };
    for (const a of body.event.attachments) {
      a.text = '';
      a.fallback = '';
    }
    const emptyShare = slackSource.handle(signed(Buffer.from(JSON.stringify(body))), ctx);

    expect(photo).toMatchObject({ kind: 'ignored', status: 200 });
    expect(emptyShare).toMatchObject({ kind: 'ignored', status: 200 });
  });
});

describe('slack source: markup', () => {
  it('keeps the text as written and gives the classifier mentions, channels and links as plain words', () => {
    const [event] = eventsOf(
      slackSource.handle(signed(fixture('slack', 'message-with-markup.json')), ctx),
    ).events;

    expect(event?.comment.text).toBe(
      '<!here> <@U0BRAND001> mon écran affiche <E07> depuis la màj, j’ai suivi <https://velo-lumiere.example/support/e07|la fiche E07> et posté dans <#C0ANNONCES1|annonces> & rien. Voir <https://velo-lumiere.example/forum/t/4101>',
    );
    expect(event?.comment.classifierText).toBe(
      '@here @user mon écran affiche <E07> depuis la màj, j’ai suivi la fiche E07 https://velo-lumiere.example/support/e07 et posté dans #annonces & rien. Voir https://velo-lumiere.example/forum/t/4101',
    );
  });

  it('gives no classifier text when the text has no markup', () => {
    const [event] = eventsOf(slackSource.handle(signed(fixture('slack', 'message.json')), ctx)).events;

    expect(event?.comment.classifierText).toBeUndefined();
  });
});

describe('slack source: author names', () => {
  it('says the name is missing when the delivery has no user_profile, and shows the id instead', () => {
    const [event] = eventsOf(
      slackSource.handle(signed(fixture('slack', 'message-with-markup.json')), ctx),
    ).events;

    expect(event?.comment.author).toEqual({
      id: 'U0MEMBER006',
      name: 'U0MEMBER006',
      nameMissing: true,
      isBrand: false,
      isAutomated: false,
    });
  });
});

describe('slack source: properties', () => {
  const fixtures = [
    'message.json',
    'brand-bot-reply.json',
    'message-changed.json',
    'message-deleted.json',
    'message-changed-tombstone.json',
    'message-changed-unfurl.json',
    'message-forwarded.json',
    'message-with-markup.json',
  ].map((f) => fixture('slack', f));

  it('never fails with anything but a 400 or 401 on correctly signed arbitrary bodies', () => {
    fc.assert(
      fc.property(
        arbitraryBodies(fixtures),
        assertNeverCrashes(slackSource, ctx, (b) => signed(b)),
      ),
      {
        numRuns: 500,
      },
    );
  });

  it('rejects arbitrary bytes with arbitrary signature headers with AuthError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.string({ maxLength: 80 }), (bytes, signature) => {
        const request = post(
          { 'x-slack-request-timestamp': NOW_SECONDS, 'x-slack-signature': signature },
          Buffer.from(bytes),
        );
        expect(() => slackSource.handle(request, ctx)).toThrow(AuthError);
      }),
    );
  });
});
