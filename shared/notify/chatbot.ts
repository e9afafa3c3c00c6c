import { cut, neutralizeChatMarkdown, oneLine } from './text.ts';
import type { NotificationView } from './view.ts';

/**
 * The custom-notification format of Amazon Q Developer in chat applications (formerly AWS
 * Chatbot): published on an SNS topic the chat channel is subscribed to, shown natively in Slack
 * or Teams. `version` "1.0" and `source` "custom" are required; `textType` "client-markdown" is the
 * only one supported and renders in the chat platform's own markdown. The service publishes no
 * length limits: the description is kept within Slack's section limit (3,000), the most a Slack
 * channel would show in one block [inference].
 */
export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata: {
    threadId: string;
    summary: string;
    eventType: string;
    additionalContext: Record<string, string>;
  };
}

export const CHATBOT_LIMITS = { title: 250, description: 3000, step: 500, keyword: 60, keywords: 5 } as const;
const QUOTE_CHARS = 2000;

export function renderChatbot(view: NotificationView): ChatbotNotification {
  const parts: string[] = [];
  if (view.byline) {
    const b = view.byline;
    parts.push(`*${clean(oneLine(b.author), 200)}* · ${b.platform} · ${clean(b.at, 60)}`);
  }
  if (view.quote !== undefined) {
    parts.push(
      `> ${cut(view.quote.replace(/\r\n?/g, '\n'), QUOTE_CHARS, (g) => (g === '\n' ? '\n> ' : neutralizeChatMarkdown(g)))}`,
    );
  }
  if (view.facts.length) {
    parts.push(view.facts.map((f) => `*${clean(f.label, 60)}*: ${clean(oneLine(f.value), 300)}`).join('\n'));
  }
  if (view.lines.length) parts.push(view.lines.map((l) => clean(l, 500)).join('\n'));
  parts.push(`_${clean(oneLine(view.footer), 300)}_`);
  const description = cut(parts.join('\n\n'), CHATBOT_LIMITS.description);

  const keywords = [view.priority, view.team, view.kind]
    .map((k) => cut(k, CHATBOT_LIMITS.keyword))
    .slice(0, CHATBOT_LIMITS.keywords);
  return {
    version: '1.0',
    source: 'custom',
    id: view.id,
    content: {
      textType: 'client-markdown',
      title: clean(oneLine(`${view.emoji} ${view.title}`), CHATBOT_LIMITS.title),
      description,
      ...(view.links.length
        ? { nextSteps: view.links.map((l) => cut(`${l.label}: ${l.url}`, CHATBOT_LIMITS.step)) }
        : {}),
      keywords,
    },
    metadata: {
      threadId: cut(`${view.community}#${view.threadKey}`, 256),
      summary: clean(oneLine(view.summary), 300),
      eventType: view.kind,
      additionalContext: {
        community: view.community,
        team: view.team,
        priority: view.priority,
        notificationId: view.id,
      },
    },
  };
}

function clean(raw: string, max: number): string {
  return cut(raw, max, neutralizeChatMarkdown);
}
