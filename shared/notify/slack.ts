import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import { cut, escapeSlack, oneLine, unescapeSlack } from './text.ts';
import type { ActionKind, ActionRef, NotificationView } from './view.ts';

/**
 * Block Kit limits this renderer keeps (docs/notifications.md has the sources): 50 blocks per
 * message, header text 150, section text 3,000, 10 section fields of 2,000 each, 10 context
 * elements, 25 action elements, button text 75, value 2,000, URL 3,000, action_id and block_id
 * 255. Slack also refuses block sets of ~13,000 characters in total (`msg_blocks_too_long`),
 * below every documented limit, so the text of all blocks together stays under 12,000.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  /** The notification text (`text`), shown in push notifications and where blocks cannot be. */
  fallbackText: 3000,
  totalBlockText: 12_000,
} as const;

/** The quote is cut well inside the section limit: the message stays readable; the link has the rest. */
const QUOTE_CHARS = 2500;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  /** Keeps links to the platform from unfurling a preview of the member's post into the channel. */
  unfurl_links: false;
  unfurl_media: false;
}

/** Prefix of the action ids of the interactive buttons; the interactions route dispatches on it. */
export const ACTION_PREFIX = 'autopilot.';

export function actionId(kind: ActionKind): string {
  return `${ACTION_PREFIX}${kind}`;
}

/** The button value: the item the click is about, as compact JSON. */
export function encodeActionRef(ref: ActionRef): string {
  return JSON.stringify({ c: ref.community, m: ref.commentId, t: ref.threadId });
}

export function decodeActionRef(value: string): ActionRef | undefined {
  try {
    const parsed = JSON.parse(value) as { c?: unknown; m?: unknown; t?: unknown };
    if (typeof parsed.c === 'string' && typeof parsed.m === 'string' && typeof parsed.t === 'string') {
      return { community: parsed.c, commentId: parsed.m, threadId: parsed.t };
    }
  } catch {
    // not ours
  }
  return undefined;
}

/** `interactive`: add the buttons that call back (the target's Slack app has interactivity on). */
export function renderSlack(view: NotificationView, options: { interactive: boolean }): SlackMessage {
  const blocks: KnownBlock[] = [];
  let budget: number = SLACK_LIMITS.totalBlockText;
  const spend = (text: string) => {
    budget -= text.length;
    return text;
  };

  blocks.push({
    type: 'header',
    text: {
      type: 'plain_text',
      text: spend(cut(oneLine(`${view.emoji} ${view.title}`), SLACK_LIMITS.headerText)),
      emoji: true,
    },
  });
  if (view.byline) {
    const b = view.byline;
    const tail = ` · ${md(b.platform, 100)} · ${md(b.at, 100)}`;
    blocks.push(
      section(spend(`*${md(oneLine(b.author), SLACK_LIMITS.sectionText - tail.length - 2)}*${tail}`)),
    );
  }
  if (view.quote !== undefined) {
    // Each line quoted; the cut counts the escapes and the quote marks, and never splits an entity.
    const raw = plainOf(view).replace(/\r\n?/g, '\n');
    const quote = `> ${cut(raw, QUOTE_CHARS, (g) => (g === '\n' ? '\n> ' : mrkdwn(g)))}`;
    blocks.push(section(spend(quote)));
  }
  if (view.facts.length) {
    const fields = view.facts.slice(0, SLACK_LIMITS.fields).map((f) => {
      const label = `*${md(oneLine(f.label), 100)}*\n`;
      return {
        type: 'mrkdwn' as const,
        text: spend(`${label}${md(oneLine(f.value), SLACK_LIMITS.fieldText - label.length)}`),
      };
    });
    blocks.push({ type: 'section', fields });
  }
  // Lines (a digest's figures) fill sections up to the section limit, within the block budgets.
  const reserved = 3; // context, actions, the status line an interaction adds
  let current: string[] = [];
  let length = 0;
  const flush = () => {
    if (current.length && blocks.length < SLACK_LIMITS.blocks - reserved && budget > 0) {
      blocks.push(section(spend(current.join('\n'))));
    }
    current = [];
    length = 0;
  };
  for (const line of view.lines) {
    const text = md(line, Math.min(SLACK_LIMITS.sectionText, Math.max(budget, 1))) || ' ';
    if (current.length && length + 1 + text.length > Math.min(SLACK_LIMITS.sectionText, budget)) flush();
    current.push(text);
    length += (current.length > 1 ? 1 : 0) + text.length;
  }
  flush();

  const context: ContextBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: spend(md(oneLine(view.footer), SLACK_LIMITS.sectionText)) }],
  };
  blocks.push(context);

  const buttons: Button[] = view.links.map((link, i) => ({
    type: 'button',
    action_id: `link.${link.kind}.${i}`,
    text: { type: 'plain_text', text: cut(oneLine(link.label), SLACK_LIMITS.buttonText), emoji: true },
    url: link.url,
  }));
  if (options.interactive) {
    for (const action of view.actions) {
      buttons.push({
        type: 'button',
        action_id: actionId(action.kind),
        text: { type: 'plain_text', text: cut(action.label, SLACK_LIMITS.buttonText), emoji: true },
        value: encodeActionRef(action.ref),
        ...(action.kind === 'handled' ? { style: 'primary' as const } : {}),
      });
    }
  }
  // A URL longer than Slack takes is dropped rather than sent: Slack would refuse the whole message.
  const kept = buttons
    .filter(
      (b) =>
        (b.url?.length ?? 0) <= SLACK_LIMITS.buttonUrl && (b.value?.length ?? 0) <= SLACK_LIMITS.buttonValue,
    )
    .slice(0, SLACK_LIMITS.actionElements);
  if (kept.length)
    blocks.push({ type: 'actions', block_id: 'actions', elements: kept } satisfies ActionsBlock);

  return {
    text: md(oneLine(`${view.emoji} ${view.summary}`), SLACK_LIMITS.fallbackText),
    blocks,
    unfurl_links: false,
    unfurl_media: false,
  };
}

/**
 * The message as it reads after a button was clicked: the status line (who did what) replaces
 * any earlier one, and the clicked button is gone. Blocks come from the interaction payload.
 */
export function withStatus(blocks: readonly KnownBlock[], status: string, done: ActionKind): KnownBlock[] {
  const kept = blocks.filter((b) => b.block_id !== 'status');
  const next: KnownBlock[] = [];
  for (const block of kept) {
    if (block.type === 'actions') {
      const elements = block.elements.filter(
        (e) =>
          !(e.type === 'button' && e.action_id === actionId(done)) &&
          !(done === 'handled' && e.type === 'button' && e.action_id === actionId('assign')),
      );
      if (elements.length) next.push({ ...block, elements });
    } else next.push(block);
  }
  next.push({
    type: 'context',
    block_id: 'status',
    elements: [{ type: 'mrkdwn', text: cut(status, SLACK_LIMITS.sectionText) }],
  });
  return next.slice(-SLACK_LIMITS.blocks);
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** A comment from Slack is stored in Slack's own escaped form: read it back as plain text first. */
function plainOf(view: NotificationView): string {
  const quote = view.quote ?? '';
  return view.byline?.platform === 'Slack' ? unescapeSlack(quote) : quote;
}

function mrkdwn(text: string): string {
  return escapeSlack(text);
}

/** Raw text escaped for mrkdwn and cut inside `max`, counting the escapes. */
function md(raw: string, max: number): string {
  return cut(raw, max, mrkdwn);
}
