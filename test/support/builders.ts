import { parseConfig } from '../../shared/config/load.ts';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import type { Notifier } from '../../shared/core/ports.ts';
import type {
  Classification,
  Classifier,
  ClassifyInput,
  Intent,
} from '../../shared/domain/classification.ts';
import type { CommentEvent } from '../../shared/domain/comment.ts';
import type { Notification } from '../../shared/domain/notification.ts';

/** A small config written for tests: one French community, four teams, the usual rules. */
export function testConfig(overrides: Partial<Record<string, unknown>> = {}): AutopilotConfig {
  return parseConfig(
    {
      communities: [
        {
          id: 'velo',
          name: 'Vélo Test',
          timezone: 'Europe/Paris',
          locale: 'fr',
          slaMinutes: 60,
          communityTeam: 'community',
          escalationTeam: 'moderation',
          welcomeNewMembers: false,
          brandAccounts: { generic: ['brand-1'] },
          automatedAccounts: { generic: ['brand-bot'] },
        },
      ],
      sources: [{ id: 'generic', type: 'generic', community: 'velo', secretName: 'test/generic' }],
      teams: [
        { id: 'support', name: 'Support' },
        { id: 'product', name: 'Product' },
        { id: 'moderation', name: 'Moderation' },
        { id: 'community', name: 'Community' },
      ],
      routing: [
        { name: 'toxic', when: { toxic: true }, team: 'moderation', priority: 'high', final: true },
        { name: 'urgent', when: { keywords: ['batterie'] }, team: 'support', priority: 'urgent' },
        { name: 'questions', when: { intent: ['question'] }, team: 'support' },
        { name: 'complaints', when: { intent: ['complaint'] }, team: 'support', priority: 'high' },
        { name: 'ideas', when: { intent: ['suggestion'] }, team: 'product' },
      ],
      ...overrides,
    },
    'test config',
  );
}

let sequence = 0;

export function commentEvent(
  overrides: {
    id?: string;
    text?: string;
    author?: string;
    createdAt?: string;
    kind?: CommentEvent['kind'];
    threadId?: string;
    parentId?: string;
  } = {},
): CommentEvent {
  const platformId = overrides.id ?? `c${++sequence}`;
  const id = `generic:${platformId}`;
  const kind = overrides.kind ?? 'created';
  const author = overrides.author ?? 'member-1';
  return {
    version: 1,
    kind,
    dedupeKey: `${id}#${kind}${kind === 'edited' ? `#${overrides.text ?? ''}` : ''}`,
    comment: {
      id,
      platformId,
      source: 'generic',
      platform: 'generic',
      community: 'velo',
      threadId: overrides.threadId ? `generic:${overrides.threadId}` : id,
      author: {
        id: author,
        name: author,
        isBrand: author.startsWith('brand'),
        isAutomated: author === 'brand-bot',
      },
      ...(overrides.parentId ? { parentId: `generic:${overrides.parentId}` } : {}),
      text: overrides.text ?? 'Comment régler la selle ?',
      createdAt: overrides.createdAt ?? '2026-11-20T10:00:00.000Z',
    },
    receivedAt: '2026-11-20T10:00:01.000Z',
  };
}

/**
 * A deterministic classifier for tests of the flow: "?" → question, "nul"/"broken" → complaint,
 * "idée"/"please add" → suggestion, "idiot" → toxic. The real engines are tested on their own.
 */
export class KeywordClassifier implements Classifier {
  calls = 0;
  async classify(inputs: readonly ClassifyInput[]): Promise<Classification[]> {
    this.calls += 1;
    return inputs.map(({ text }) => {
      const t = text.toLowerCase();
      const intents: Intent[] = [];
      if (t.includes('?')) intents.push('question');
      if (t.includes('nul') || t.includes('broken')) intents.push('complaint');
      if (t.includes('idée') || t.includes('please add')) intents.push('suggestion');
      if (intents.length === 0) intents.push('other');
      const toxic = t.includes('idiot');
      const negative = intents.includes('complaint') || toxic;
      return {
        intent: intents[0] as Intent,
        intents,
        sentiment: {
          label: negative ? 'negative' : 'neutral',
          scores: { positive: 0, negative: negative ? 1 : 0, neutral: negative ? 0 : 1, mixed: 0 },
        },
        language: /[éèà]|comment|pourquoi/.test(t) ? 'fr' : 'en',
        toxic: { flag: toxic, labels: toxic ? ['insult'] : [], score: toxic ? 0.9 : 0.01 },
        spam: { flag: false, reasons: [] },
        confidence: { intent: 0.9, sentiment: 0.9, language: 0.9, toxic: 0.9, spam: 0.9 },
        engine: { intent: 'local', sentiment: 'local', language: 'local', toxic: 'local', spam: 'local' },
      };
    });
  }
}

export class RecordingNotifier implements Notifier {
  readonly published: Notification[] = [];
  failNext = 0;
  async publish(notification: Notification): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('SNS is unavailable');
    }
    this.published.push(notification);
  }
}
