import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotificationMessage } from '../../../shared/domain/notification.ts';
import { renderChatbot } from '../../../shared/notify/chatbot.ts';
import { renderPlain } from '../../../shared/notify/plain.ts';
import { decodeActionRef, renderSlack, withStatus } from '../../../shared/notify/slack.ts';
import { renderTeams, TEAMS_MAX_BYTES } from '../../../shared/notify/teams.ts';
import { cut, ELLIPSIS, splitGraphemes } from '../../../shared/notify/text.ts';
import { type Locale, notificationView } from '../../../shared/notify/view.ts';
import {
  adaptiveCardSdkProblems,
  blockKitProblems,
  ChatbotCustomNotification,
  TeamsWorkflowEnvelope,
} from '../../support/chat-formats.ts';
import { comment, digest, escalated, everyKind, routed } from '../../support/notifications.ts';

const LOCALES: Locale[] = ['fr', 'en'];
const options = (locale: Locale) => ({
  locale,
  timezone: 'Europe/Paris',
  consoleUrl: 'https://console.velo-lumiere.example/',
});

/** Graphemes that break naive cuts: a surrogate pair, a skin tone, a ZWJ family, a flag, combining marks. */
const TRICKY = [
  'a',
  'é',
  'e\u0301',
  '👍🏽',
  '👨‍👩‍👧',
  '🇫🇷',
  'ñ\u0303\u0304',
  '&',
  '<',
  '>',
  '*',
  '_',
  '\n',
  ' ',
];
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) allStrings(v, out);
  return out;
}

function renderAll(message: NotificationMessage, locale: Locale) {
  const view = notificationView(message, options(locale));
  return {
    view,
    slack: renderSlack(view, { interactive: true }),
    teams: renderTeams(view),
    chatbot: renderChatbot(view),
  };
}

function expectValid(message: NotificationMessage, locale: Locale) {
  const { slack, teams, chatbot } = renderAll(message, locale);
  expect(blockKitProblems(slack), `${message.kind} (${locale}) as Block Kit`).toEqual([]);
  expect(TeamsWorkflowEnvelope.safeParse(teams).error?.issues ?? []).toEqual([]);
  expect(adaptiveCardSdkProblems(teams.attachments[0]?.content)).toEqual([]);
  expect(Buffer.byteLength(JSON.stringify(teams))).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
  expect(ChatbotCustomNotification.safeParse(chatbot).error?.issues ?? []).toEqual([]);
  for (const s of [...allStrings(slack), ...allStrings(teams), ...allStrings(chatbot)]) {
    expect(LONE_SURROGATE.test(s), `lone surrogate in ${JSON.stringify(s.slice(0, 40))}`).toBe(false);
  }
}

describe('chat renderers', () => {
  it('cover every kind of the notification contract', () => {
    const contractKinds = NotificationMessage.options.flatMap((o) => {
      const kind = o.shape.kind;
      return 'options' in kind ? [...kind.options] : [kind.value];
    });
    const covered = new Set(everyKind('Bonjour').map((m) => m.kind));

    expect([...covered].sort()).toEqual([...contractKinds].sort());
  });

  for (const locale of LOCALES) {
    it(`render every kind in ${locale} as valid Block Kit, Adaptive Card 1.5 and Chatbot custom notifications`, () => {
      for (const message of everyKind('Mon vélo est arrivé cassé & la batterie <ne charge pas> 😡')) {
        expectValid(message, locale);
      }
    });

    it(`keep a 10,000-character comment inside every limit in ${locale}, link included`, () => {
      const long = 'Le moteur fait un bruit étrange 🚲 quand je monte une côte. '
        .repeat(200)
        .slice(0, 10_000);
      for (const message of everyKind(long)) expectValid(message, locale);
      const { slack, teams } = renderAll(routed(long), locale);
      expect(JSON.stringify(slack)).toContain(
        'https://www.facebook.com/velolumiere/posts/1789?comment_id=42',
      );
      expect(JSON.stringify(teams)).toContain(
        'https://www.facebook.com/velolumiere/posts/1789?comment_id=42',
      );
    });
  }

  it('writes French for a French community and English for an English one', () => {
    const fr = renderAll(routed('Où est ma commande ?'), 'fr');
    const en = renderAll(routed('Where is my order?'), 'en');

    expect(fr.slack.blocks[0]).toMatchObject({ text: { text: '🟠 Réclamation sur Facebook' } });
    expect(en.slack.blocks[0]).toMatchObject({ text: { text: '🟠 Complaint on Facebook' } });
    expect(JSON.stringify(fr.teams)).toContain('Ouvrir sur Facebook');
    expect(JSON.stringify(en.teams)).toContain('Open in the console');
    expect(fr.chatbot.content.description).toContain('Règle');
  });

  it('shows who, where, when, the quote, the reading, the rule and the priority', () => {
    const { slack, teams, chatbot } = renderAll(routed('Ma batterie ne charge plus'), 'fr');
    const text = JSON.stringify(slack);

    for (const expected of ['Léa Martin', 'Facebook', '20 nov. 2026, 11:00', 'Ma batterie ne charge plus']) {
      expect(text).toContain(expected);
      expect(JSON.stringify(teams)).toContain(expected);
      expect(JSON.stringify(chatbot)).toContain(expected);
    }
    for (const expected of ['Réclamation, Question', 'négatif', 'fr', 'complaints-to-support', 'haute']) {
      expect(text).toContain(expected);
    }
  });

  it('escapes what each format would read as markup', () => {
    const hostile = 'Hey <!channel> <https://evil.example|cliquez> & **gras** [lien](https://x.example) _i_';
    const { slack, teams, chatbot } = renderAll(routed(hostile), 'en');
    const slackText = JSON.stringify(slack.blocks);
    const card = JSON.stringify(teams);

    expect(slackText).toContain('&lt;!channel&gt; &lt;https://evil.example|cliquez&gt; &amp;');
    expect(slackText).not.toContain('<!channel>');
    expect(card).toContain('\\\\*\\\\*gras\\\\*\\\\* \\\\[lien\\\\]\\\\(https://x.example\\\\)');
    expect(chatbot.content.description).not.toMatch(/<|>(?! )/);
  });

  it('reads a comment that came from Slack back from Slack’s escaping before escaping it once', () => {
    const message = routed('a &lt;b&gt; &amp; c <!here>', {
      comment: comment('a &lt;b&gt; &amp; c <!here>', { platform: 'slack', source: 'slack' }),
    });
    const quote = JSON.stringify(renderAll(message, 'en').slack.blocks[2]);

    expect(quote).toContain('a &lt;b&gt; &amp; c &lt;!here&gt;');
    expect(quote).not.toContain('&amp;lt;');
  });

  it('never cuts inside a grapheme, whatever sits at the cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...TRICKY), { maxLength: 400 }),
        fc.integer({ min: 1, max: 300 }),
        (parts, max) => {
          const raw = parts.join('');
          const out = cut(raw, max);
          expect(out.length).toBeLessThanOrEqual(max);
          const kept = out.endsWith(ELLIPSIS) && out !== raw ? out.slice(0, -ELLIPSIS.length) : out;
          const source = splitGraphemes(raw);
          const got = splitGraphemes(kept);
          // Whole graphemes of the source, in order (a trailing space may have been trimmed).
          got.forEach((g, i) => {
            expect(g).toBe(source[i]);
          });
        },
      ),
    );
  });

  it('keeps every format valid with emoji and combining characters at every cut', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TRICKY), { minLength: 2900, maxLength: 3600 }), (parts) => {
        for (const message of everyKind(parts.join(''))) expectValid(message, 'fr');
      }),
      { numRuns: 10, endOnFailure: true },
    );
  });

  it('gives the interactive buttons a value the interactions route reads back', () => {
    const { slack } = renderAll(escalated(1, 'Toujours pas de réponse ?'), 'fr');
    const actions = slack.blocks.find((b) => b.type === 'actions');
    const handled =
      actions?.type === 'actions'
        ? actions.elements.find((e) => e.action_id === 'autopilot.handled')
        : undefined;

    expect(handled?.type === 'button' && decodeActionRef(handled.value ?? '')).toEqual({
      community: 'velo',
      commentId: 'meta:1789_42',
      threadId: 'meta:1789',
    });
  });

  it('leaves the interactive buttons out of a message to a target without interactivity', () => {
    const view = notificationView(routed('Où est ma commande ?'), options('fr'));

    expect(JSON.stringify(renderSlack(view, { interactive: false }))).not.toContain('autopilot.');
  });

  it('updates a message in place after a click: a status line, and the clicked button gone', () => {
    const { slack } = renderAll(routed('Où est ma commande ?'), 'fr');
    const next = withStatus(slack.blocks, '✅ Traité par <@U42>', 'handled');

    expect(next.at(-1)).toMatchObject({ block_id: 'status', elements: [{ text: '✅ Traité par <@U42>' }] });
    expect(JSON.stringify(next)).not.toContain('autopilot.handled');
    expect(JSON.stringify(next)).not.toContain('autopilot.assign');
    expect(withStatus(next, 'again', 'handled').filter((b) => b.block_id === 'status')).toHaveLength(1);
    expect(blockKitProblems({ ...slack, blocks: next })).toEqual([]);
  });

  it('lays out a digest line by line', () => {
    const { slack, teams } = renderAll(digest('digest.daily'), 'fr');

    expect(slack.blocks[0]).toMatchObject({ text: { text: '📊 Vélo Lumière · résumé du 2026-11-19' } });
    expect(JSON.stringify(slack)).toContain('Karim &lt;b&gt;&amp;&lt;/b&gt; co');
    expect(JSON.stringify(teams)).toContain('Réponses de la marque : 17');
  });

  it('gives e-mail the same content as the cards', () => {
    const view = notificationView(routed('Où est ma commande ?'), options('fr'));
    const text = renderPlain(view, 'Sujet');

    expect(text.split('\n')[0]).toBe('Sujet');
    for (const expected of [
      'Léa Martin',
      '> Où est ma commande ?',
      'Règle: complaints-to-support',
      'Ouvrir sur Facebook: https://',
    ]) {
      expect(text).toContain(expected);
    }
  });
});
