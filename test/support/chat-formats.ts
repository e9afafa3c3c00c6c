import { createRequire } from 'node:module';
import type { KnownBlock } from '@slack/types';
import * as z from 'zod';
import { SLACK_LIMITS, type SlackMessage } from '../../shared/notify/slack.ts';

/**
 * Validators of the three chat formats, written from their documentation (docs/notifications.md
 * lists the sources): Block Kit's documented limits for the blocks and elements the renderer uses,
 * the Adaptive Card 1.5 schema for the elements the Teams card uses (strict: an unknown property
 * or a wrong enum value fails), and the custom-notification format of Amazon Q Developer in chat
 * applications. The Adaptive Card is also read by the `adaptivecards` SDK's own parser.
 */

/** Every problem found, as `path: message`; empty when the message is valid. */
export function blockKitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  const at = (path: string, ok: boolean, what: string) => {
    if (!ok) problems.push(`${path}: ${what}`);
  };
  const textObject = (
    path: string,
    t: { type: string; text: string } | undefined,
    max: number,
    types: string[],
  ) => {
    at(path, t !== undefined, 'missing text');
    if (!t) return;
    at(path, types.includes(t.type), `text type ${t.type} not in ${types.join('/')}`);
    at(path, t.text.length >= 1, 'empty text (Slack refuses it)');
    at(path, t.text.length <= max, `${t.text.length} characters, more than ${max}`);
  };
  at('text', message.text.length >= 1 && message.text.length <= 40_000, 'fallback text length');
  at('blocks', message.blocks.length <= SLACK_LIMITS.blocks, `${message.blocks.length} blocks`);
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  let total = 0;
  message.blocks.forEach((block: KnownBlock, i) => {
    const path = `blocks[${i}]`;
    if (block.block_id !== undefined) {
      at(`${path}.block_id`, block.block_id.length <= SLACK_LIMITS.blockId, 'block_id too long');
      at(`${path}.block_id`, !blockIds.has(block.block_id), 'duplicate block_id');
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'header':
        textObject(`${path}.text`, block.text, SLACK_LIMITS.headerText, ['plain_text']);
        total += block.text.text.length;
        break;
      case 'section':
        at(
          path,
          block.text !== undefined || (block.fields?.length ?? 0) > 0,
          'a section needs text or fields',
        );
        if (block.text) {
          textObject(`${path}.text`, block.text, SLACK_LIMITS.sectionText, ['mrkdwn', 'plain_text']);
          total += block.text.text.length;
        }
        at(`${path}.fields`, (block.fields?.length ?? 0) <= SLACK_LIMITS.fields, 'more than 10 fields');
        block.fields?.forEach((f, j) => {
          textObject(`${path}.fields[${j}]`, f, SLACK_LIMITS.fieldText, ['mrkdwn', 'plain_text']);
          total += f.text.length;
        });
        break;
      case 'context':
        at(
          path,
          block.elements.length >= 1 && block.elements.length <= SLACK_LIMITS.contextElements,
          'elements',
        );
        block.elements.forEach((e, j) => {
          if (e.type === 'mrkdwn' || e.type === 'plain_text') {
            textObject(`${path}.elements[${j}]`, e, SLACK_LIMITS.sectionText, ['mrkdwn', 'plain_text']);
            total += e.text.length;
          } else problems.push(`${path}.elements[${j}]: unexpected ${e.type}`);
        });
        break;
      case 'actions':
        at(
          path,
          block.elements.length >= 1 && block.elements.length <= SLACK_LIMITS.actionElements,
          'elements',
        );
        block.elements.forEach((e, j) => {
          const p = `${path}.elements[${j}]`;
          if (e.type !== 'button') {
            problems.push(`${p}: unexpected ${e.type}`);
            return;
          }
          textObject(`${p}.text`, e.text, SLACK_LIMITS.buttonText, ['plain_text']);
          at(
            `${p}.action_id`,
            (e.action_id?.length ?? 0) >= 1 && (e.action_id?.length ?? 0) <= SLACK_LIMITS.actionId,
            'action_id',
          );
          at(`${p}.action_id`, !actionIds.has(e.action_id ?? ''), 'duplicate action_id');
          actionIds.add(e.action_id ?? '');
          at(`${p}.value`, (e.value?.length ?? 0) <= SLACK_LIMITS.buttonValue, 'value too long');
          at(`${p}.url`, (e.url?.length ?? 0) <= SLACK_LIMITS.buttonUrl, 'url too long');
          if (e.url) at(`${p}.url`, /^https?:\/\//.test(e.url), 'url must be http(s)');
          at(`${p}.style`, e.style === undefined || e.style === 'primary' || e.style === 'danger', 'style');
        });
        break;
      default:
        problems.push(`${path}: block type ${block.type} is not one the renderer should produce`);
    }
  });
  at('blocks', total <= SLACK_LIMITS.totalBlockText, `${total} characters across blocks`);
  return problems;
}

// ---- Adaptive Cards 1.5 (adaptivecards.io/schemas/1.5.0/adaptive-card.json), the subset used ----

const Spacing = z.enum(['None', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding']);
const TextBlock = z
  .object({
    type: z.literal('TextBlock'),
    text: z.string(),
    wrap: z.boolean().optional(),
    size: z.enum(['Small', 'Default', 'Medium', 'Large', 'ExtraLarge']).optional(),
    weight: z.enum(['Lighter', 'Default', 'Bolder']).optional(),
    color: z.enum(['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention']).optional(),
    isSubtle: z.boolean().optional(),
    maxLines: z.number().int().optional(),
    spacing: Spacing.optional(),
    separator: z.boolean().optional(),
    style: z.enum(['default', 'heading']).optional(),
    id: z.string().optional(),
  })
  .strict();
const FactSet = z
  .object({
    type: z.literal('FactSet'),
    facts: z.array(z.object({ title: z.string(), value: z.string() }).strict()),
    spacing: Spacing.optional(),
  })
  .strict();
type Element = z.infer<typeof TextBlock> | z.infer<typeof FactSet> | { type: 'Container'; items: Element[] };
const Element: z.ZodType<Element> = z.lazy(() => z.union([TextBlock, FactSet, Container]));
const Container = z
  .object({
    type: z.literal('Container'),
    items: z.array(Element),
    style: z.enum(['default', 'emphasis', 'good', 'attention', 'warning', 'accent']).optional(),
    bleed: z.boolean().optional(),
    spacing: Spacing.optional(),
  })
  .strict();
const OpenUrl = z
  .object({ type: z.literal('Action.OpenUrl'), title: z.string().min(1), url: z.url() })
  .strict();
export const AdaptiveCard15 = z
  .object({
    $schema: z.literal('http://adaptivecards.io/schemas/adaptive-card.json'),
    type: z.literal('AdaptiveCard'),
    version: z.enum(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']),
    fallbackText: z.string().optional(),
    body: z.array(Element),
    actions: z.array(OpenUrl).optional(),
    msteams: z
      .object({ width: z.literal('Full') })
      .strict()
      .optional(),
  })
  .strict();
export const TeamsWorkflowEnvelope = z
  .object({
    type: z.literal('message'),
    attachments: z
      .array(
        z
          .object({
            contentType: z.literal('application/vnd.microsoft.card.adaptive'),
            contentUrl: z.null(),
            content: AdaptiveCard15,
          })
          .strict(),
      )
      .length(1),
  })
  .strict();

const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => {
    parse(json: unknown, ctx: unknown): void;
    validateProperties(): { validationEvents: unknown[] };
  };
  SerializationContext: new (
    version: unknown,
  ) => { eventCount: number; getEventAt(i: number): { message: string } };
  Versions: { v1_5: unknown };
};

/** What the Adaptive Cards SDK's parser reports for the card at version 1.5: unknown types, bad values. */
export function adaptiveCardSdkProblems(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  const problems = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  return [...problems, ...parsed.validateProperties().validationEvents.map((e) => JSON.stringify(e))];
}

// ---- Amazon Q Developer in chat applications: custom notifications ----
export const ChatbotCustomNotification = z
  .object({
    version: z.literal('1.0'),
    source: z.literal('custom'),
    id: z.string().optional(),
    content: z
      .object({
        textType: z.literal('client-markdown').optional(),
        title: z.string().optional(),
        description: z.string(),
        nextSteps: z.array(z.string()).optional(),
        keywords: z.array(z.string()).optional(),
      })
      .strict(),
    metadata: z
      .object({
        threadId: z.string().optional(),
        summary: z.string().optional(),
        eventType: z.string().optional(),
        relatedResources: z.array(z.string()).optional(),
        additionalContext: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
