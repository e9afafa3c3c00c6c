import { cut, cutPieces, markdownPieces, oneLine } from './text.ts';
import type { NotificationView } from './view.ts';

/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"): the
 * request body is a `message` whose one attachment is an Adaptive Card. Teams renders card
 * features up to version 1.5; webhook cards support every element but `Action.Submit`, so the
 * buttons here are links (`Action.OpenUrl`). Workflows refuses messages over ~28 KB: the quote
 * and the lines are cut well inside that (docs/notifications.md has the sources).
 */
export const TEAMS_CARD_VERSION = '1.5';
export const TEAMS_MAX_BYTES = 28_000;
const QUOTE_CHARS = 3000;
const LINE_CHARS = 500;
const MAX_LINES = 40;
const FACT_CHARS = 500;

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
  weight?: 'Lighter' | 'Default' | 'Bolder';
  isSubtle?: boolean;
  spacing?: 'None' | 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge' | 'Padding';
  style?: 'default' | 'heading';
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}

export interface Container {
  type: 'Container';
  style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
  items: CardElement[];
  bleed?: boolean;
}

export type CardElement = TextBlock | FactSet | Container;

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export interface AdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: typeof TEAMS_CARD_VERSION;
  fallbackText: string;
  body: CardElement[];
  actions?: OpenUrlAction[];
  msteams?: { width: 'Full' };
}

export interface TeamsWorkflowMessage {
  type: 'message';
  attachments: {
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: AdaptiveCard;
  }[];
}

export function renderTeams(view: NotificationView): TeamsWorkflowMessage {
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: md(oneLine(`${view.emoji} ${view.title}`), 300),
      size: 'Medium',
      weight: 'Bolder',
      style: 'heading',
      wrap: true,
    },
  ];
  if (view.byline) {
    const b = view.byline;
    body.push({
      type: 'TextBlock',
      text: `**${md(oneLine(b.author), 200)}** · ${md(b.platform, 50)} · ${md(b.at, 50)}`,
      isSubtle: true,
      spacing: 'None',
      wrap: true,
    });
  }
  if (view.quote !== undefined) {
    // A TextBlock breaks a line only on a blank line: each line break is doubled.
    const quote = cutPieces(markdownPieces(view.quote, '\n\n'), QUOTE_CHARS);
    body.push({
      type: 'Container',
      style: 'emphasis',
      items: [{ type: 'TextBlock', text: quote, wrap: true }],
    });
  }
  if (view.facts.length) {
    body.push({
      type: 'FactSet',
      facts: view.facts.map((f) => ({
        title: md(oneLine(f.label), 100),
        value: md(oneLine(f.value), FACT_CHARS),
      })),
    });
  }
  const lines = view.lines.slice(0, MAX_LINES);
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    body.push({
      type: 'TextBlock',
      text: md(line, LINE_CHARS),
      wrap: true,
      spacing: i === 0 ? 'Default' : 'None',
    });
  }
  body.push({
    type: 'TextBlock',
    text: md(oneLine(view.footer), 300),
    isSubtle: true,
    size: 'Small',
    wrap: true,
  });

  const actions: OpenUrlAction[] = view.links.map((link) => ({
    type: 'Action.OpenUrl',
    title: oneLine(link.label),
    url: link.url,
  }));
  const card: AdaptiveCard = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: TEAMS_CARD_VERSION,
    fallbackText: cut(oneLine(view.summary), 300),
    body,
    ...(actions.length ? { actions } : {}),
    msteams: { width: 'Full' },
  };
  return {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}

function md(raw: string, max: number): string {
  return cutPieces(markdownPieces(raw), max);
}
