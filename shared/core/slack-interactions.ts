import type { KnownBlock } from '@slack/types';
import * as z from 'zod';
import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import { AuthError, ValidationError } from '../domain/errors.ts';
import type { ChatActor, ThreadItem } from '../domain/threads.ts';
import { ACTION_PREFIX, decodeActionRef, withStatus } from '../notify/slack.ts';
import { formatInstant, type Locale } from '../notify/view.ts';
import { assertFreshTimestamp, digestsMatch, hmacSha256, type WebhookRequest } from '../platforms/source.ts';
import { itemChange } from './plan-batch.ts';
import type { CommentStore, OpenItemStore, SecretStore } from './ports.ts';

/** A person's correction of the classifier, recorded once per comment, for its evaluation. */
export interface FeedbackStore {
  /** 'recorded' the first time, 'known' when this comment already has this feedback. */
  recordFeedback(
    community: string,
    feedback: { commentId: string; label: 'not-toxic-not-spam'; by: ChatActor; at: string },
  ): Promise<'recorded' | 'known'>;
}

/** Updates the message a button was clicked in, through the interaction's `response_url`. */
export interface InteractionResponder {
  replace(responseUrl: string, message: { text: string; blocks: KnownBlock[] }): Promise<void>;
}

export interface InteractionDeps {
  config: AutopilotConfig;
  /** The signing secrets of the Slack sources. */
  secrets: SecretStore;
  items: Pick<OpenItemStore, 'threadItem'>;
  store: Pick<CommentStore, 'commit'>;
  feedback: FeedbackStore;
  responder: InteractionResponder;
  now?: () => Date;
}

export type InteractionOutcome =
  | 'handled'
  | 'already-closed'
  | 'assigned'
  | 'feedback-recorded'
  | 'feedback-known'
  | 'unknown-item'
  | 'ignored';

const Payload = z
  .object({
    type: z.string(),
    user: z
      .object({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional() })
      .loose(),
    actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() }).loose()).default([]),
    response_url: z.url().optional(),
    message: z
      .object({ text: z.string().optional(), blocks: z.array(z.unknown()).default([]) })
      .loose()
      .optional(),
  })
  .loose();

/**
 * POST /slack/interactions: a click on a notification's button (block_actions), verified with the
 * signing secret of a Slack source exactly as events are (raw body, 5-minute window), then
 * *Mark handled* closes the item's SLA clock (one conditional write: a replay finds it closed),
 * *Assign to me* records the assignee, *Not toxic / not spam* records feedback. The message is
 * updated in place to say who did what. Link buttons also call here; they are acknowledged only.
 */
export async function handleSlackInteraction(
  request: WebhookRequest,
  deps: InteractionDeps,
): Promise<{ outcome: InteractionOutcome }> {
  const now = (deps.now ?? (() => new Date()))();
  await verifySignature(request, deps, now);
  const form = new URLSearchParams(request.rawBody.toString('utf8'));
  let raw: unknown;
  try {
    raw = JSON.parse(form.get('payload') ?? '');
  } catch {
    throw new ValidationError('the body has no JSON "payload" field');
  }
  const parsed = Payload.safeParse(raw);
  if (!parsed.success)
    throw new ValidationError('the interaction payload is not a Slack block_actions payload');
  const payload = parsed.data;
  const action = payload.actions.find((a) => a.action_id.startsWith(ACTION_PREFIX));
  if (payload.type !== 'block_actions' || !action) return { outcome: 'ignored' };
  const ref = decodeActionRef(action.value ?? '');
  const community = ref && deps.config.communities.find((c) => c.id === ref.community);
  if (!ref || !community) return { outcome: 'ignored' };
  const actor: ChatActor = {
    via: 'slack',
    id: payload.user.id,
    ...((payload.user.name ?? payload.user.username)
      ? { name: payload.user.name ?? payload.user.username }
      : {}),
  };
  const kind = action.action_id.slice(ACTION_PREFIX.length);

  let outcome: InteractionOutcome;
  if (kind === 'handled' || kind === 'assign') {
    outcome = await changeItem(kind, community, ref.threadId, ref.commentId, actor, now, deps);
  } else if (kind === 'not-toxic') {
    const result = await deps.feedback.recordFeedback(community.id, {
      commentId: ref.commentId,
      label: 'not-toxic-not-spam',
      by: actor,
      at: now.toISOString(),
    });
    outcome = result === 'recorded' ? 'feedback-recorded' : 'feedback-known';
  } else {
    return { outcome: 'ignored' };
  }

  if (payload.response_url && payload.message) {
    const status = statusLine(outcome, actor, now, community);
    const done = kind === 'handled' ? 'handled' : kind === 'assign' ? 'assign' : 'not-toxic';
    await deps.responder.replace(payload.response_url, {
      text: payload.message.text ?? status,
      blocks: withStatus(payload.message.blocks as KnownBlock[], status, done),
    });
  }
  return { outcome };
}

/** Any configured Slack source's signing secret may have signed it (one Slack app per workspace). */
async function verifySignature(request: WebhookRequest, deps: InteractionDeps, now: Date): Promise<void> {
  const timestamp = request.headers['x-slack-request-timestamp'];
  assertFreshTimestamp(timestamp, now);
  const signature = request.headers['x-slack-signature'];
  if (!signature?.startsWith('v0=')) throw new AuthError('X-Slack-Signature is missing');
  const sources = signingSources(deps.config);
  for (const source of sources) {
    const secret = await deps.secrets.sourceSecret(source);
    const expected = hmacSha256(secret.signingKey, `v0:${timestamp}:`, request.rawBody);
    if (digestsMatch(expected, signature.slice(3), 'hex')) return;
  }
  throw new AuthError('X-Slack-Signature does not match');
}

/** The Slack sources whose signing secret may sign interactions: those named by a target, else all. */
export function signingSources(config: AutopilotConfig): string[] {
  const named = config.teams.flatMap((t) =>
    t.chat.flatMap((c) => (c.type === 'slack' && c.interactive && c.signingSource ? [c.signingSource] : [])),
  );
  return named.length
    ? [...new Set(named)]
    : config.sources.filter((s) => s.type === 'slack').map((s) => s.id);
}

const MAX_ATTEMPTS = 4;

async function changeItem(
  kind: 'handled' | 'assign',
  community: CommunityConfig,
  threadId: string,
  commentId: string,
  actor: ChatActor,
  now: Date,
  deps: InteractionDeps,
): Promise<InteractionOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const item = await deps.items.threadItem(community.id, threadId, commentId);
    if (!item) return 'unknown-item';
    if (item.status !== 'open') return 'already-closed';
    const at = now.toISOString();
    const next: ThreadItem =
      kind === 'handled'
        ? { ...item, status: 'handled', handled: { ...actor, at }, version: item.version + 1 }
        : { ...item, assignee: { ...actor, at }, version: item.version + 1 };
    // Handled items are counted apart: they never enter the first-response-time figures.
    const counters: Record<string, number> = kind === 'handled' ? { handledOffPlatform: 1 } : {};
    const result = await deps.store.commit(community.id, itemChange(item, next, counters));
    if (result === 'committed') return kind === 'handled' ? 'handled' : 'assigned';
    // conflict: a reply, an escalation or another click got there first; read again.
  }
  return 'already-closed';
}

const STATUS = {
  en: {
    handled: (who: string, at: string) => `✅ Marked handled by ${who} · ${at}`,
    'already-closed': (who: string) => `ℹ️ Already closed (answered or handled) · checked by ${who}`,
    assigned: (who: string, at: string) => `🙋 Assigned to ${who} · ${at}`,
    'feedback-recorded': (who: string) => `📝 ${who} says: not toxic, not spam (recorded for the classifier)`,
    'feedback-known': (who: string) => `📝 Feedback already recorded · ${who}`,
    'unknown-item': (who: string) => `ℹ️ This item is no longer kept · ${who}`,
    ignored: () => '',
  },
  fr: {
    handled: (who: string, at: string) => `✅ Marqué comme traité par ${who} · ${at}`,
    'already-closed': (who: string) => `ℹ️ Déjà clos (répondu ou traité) · vérifié par ${who}`,
    assigned: (who: string, at: string) => `🙋 Pris en charge par ${who} · ${at}`,
    'feedback-recorded': (who: string) => `📝 ${who} indique : ni toxique ni spam (noté pour le classifieur)`,
    'feedback-known': (who: string) => `📝 Retour déjà noté · ${who}`,
    'unknown-item': (who: string) => `ℹ️ Cet élément n’est plus conservé · ${who}`,
    ignored: () => '',
  },
} satisfies Record<Locale, Record<InteractionOutcome, (who: string, at: string) => string>>;

function statusLine(
  outcome: InteractionOutcome,
  actor: ChatActor,
  now: Date,
  community: CommunityConfig,
): string {
  // A user id Slack renders as a mention; ids are [A-Z0-9], so nothing else can be injected.
  const who = /^[A-Z0-9]+$/.test(actor.id) ? `<@${actor.id}>` : 'someone';
  const at = formatInstant(now.toISOString(), { locale: community.locale, timezone: community.timezone });
  return STATUS[community.locale][outcome](who, at);
}
