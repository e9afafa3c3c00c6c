import * as z from 'zod';
import type { CommentEventKind } from '../domain/comment.ts';
import { AuthError, ValidationError } from '../domain/errors.ts';
import { BatchCollector, dateToIso, describeZod, parseJsonBody, reasonOf } from './parse-helpers.ts';
import {
  digestsMatch,
  hmacSha256,
  isAutomatedAccount,
  isBrandAccount,
  type Source,
  type SourceContext,
} from './source.ts';

/**
 * GitHub repository or organization webhooks: `discussion`, `discussion_comment`, `issues`,
 * `issue_comment` and `pull_request_review_comment` events (plus `ping` when the hook is created). Signed as
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`; the event is named by
 * `X-GitHub-Event`. GitHub does not retry on its own; a manual redelivery keeps the same
 * `X-GitHub-Delivery`, but the dedupe key is built from the object id + action (+ updated_at for
 * edits) so the same change is recognised whatever delivery brought it.
 * A discussion or an issue is the thread (its body is the member's question); comments on it,
 * nested replies included, belong to that thread. A pull request review comment starts a
 * conversation on a line of the diff; its replies name it in `in_reply_to_id` (GitHub only lets
 * one reply to a top-level review comment), so that comment is the thread.
 * An issue transferred from another repository arrives as `issues.opened` with `changes.old_issue`:
 * it is not new, and is not counted again.
 *
 * Options: `brandAssociations` — GitHub's `author_association` values (OWNER, MEMBER,
 * COLLABORATOR) whose authors count as the brand. Off by default: outside contributors can be
 * collaborators, and organization members are not all the brand's community team.
 */

const BRAND_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR'] as const;

/** Validated here per request; exported so the config loader can reject bad options at start. */
export const GithubOptions = z.object({
  brandAssociations: z.array(z.enum(BRAND_ASSOCIATIONS)).optional(),
});

const User = z.object({
  login: z.string().min(1).max(256),
  id: z.number().int(),
  type: z.string().optional(),
});

const Root = z.object({
  id: z.number().int().positive(),
  number: z.number().int().optional(),
  title: z.string().max(1024).default(''),
  body: z.string().max(262_144).nullish(),
  user: User,
  created_at: z.string().max(64),
  updated_at: z.string().max(64).nullish(),
  html_url: z.string().max(2048).optional(),
  author_association: z.string().max(64).optional(),
});

const CommentBody = z.object({
  id: z.number().int().positive(),
  body: z.string().max(262_144).nullish(),
  user: User,
  created_at: z.string().max(64),
  updated_at: z.string().max(64).nullish(),
  html_url: z.string().max(2048).optional(),
  parent_id: z.number().int().positive().nullish(),
  // Review comments: the top-level comment of the conversation a reply belongs to.
  in_reply_to_id: z.number().int().positive().nullish(),
  author_association: z.string().max(64).optional(),
});

/** `changes` of an `issues.opened` that is the arrival of a transferred issue. */
const TransferredFrom = z.object({
  old_issue: z.object({ number: z.number().int().optional() }).loose().nullish(),
  old_repository: z
    .object({ full_name: z.string().max(512).optional() })
    .loose()
    .optional(),
});

const COMMENT_ACTIONS: Readonly<Record<string, CommentEventKind>> = {
  created: 'created',
  edited: 'edited',
  deleted: 'deleted',
};

const EVENT_ACTIONS: Readonly<Record<string, Readonly<Record<string, CommentEventKind>>>> = {
  discussion: COMMENT_ACTIONS,
  discussion_comment: COMMENT_ACTIONS,
  issue_comment: COMMENT_ACTIONS,
  pull_request_review_comment: COMMENT_ACTIONS,
  issues: { opened: 'created', edited: 'edited', deleted: 'deleted' },
};

type Root = z.infer<typeof Root>;
type CommentBody = z.infer<typeof CommentBody>;

function readBody(rawBody: Buffer, contentType: string | undefined): unknown {
  // A hook created with "application/x-www-form-urlencoded" sends the JSON in a `payload` field.
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(rawBody.toString('utf8')).get('payload');
    if (payload === null) throw new ValidationError('form body has no payload field');
    return parseJsonBody(Buffer.from(payload, 'utf8'));
  }
  return parseJsonBody(rawBody);
}

function httpsUrl(value: string | undefined): { url?: string } {
  if (!value) return {};
  try {
    return new URL(value).protocol === 'https:' ? { url: value } : {};
  } catch {
    return {};
  }
}

interface Target {
  platformId: string;
  threadPlatformId: string;
  parentPlatformId?: string;
  item: Root | CommentBody;
  text: string;
}

function target(event: string, payload: Record<string, unknown>): Target {
  const parse = <T>(schema: z.ZodType<T>, value: unknown, name: string): T => {
    const result = schema.safeParse(value);
    if (!result.success) throw new ValidationError(`${name}: ${describeZod(result.error)}`);
    return result.data;
  };
  const rootText = (r: Root) => (r.body ? `${r.title}\n\n${r.body}` : r.title);
  switch (event) {
    case 'discussion': {
      const d = parse(Root, payload.discussion, 'discussion');
      return {
        platformId: `discussion/${d.id}`,
        threadPlatformId: `discussion/${d.id}`,
        item: d,
        text: rootText(d),
      };
    }
    case 'issues': {
      const i = parse(Root, payload.issue, 'issue');
      return { platformId: `issue/${i.id}`, threadPlatformId: `issue/${i.id}`, item: i, text: rootText(i) };
    }
    case 'discussion_comment': {
      const d = parse(Root.pick({ id: true }), payload.discussion, 'discussion');
      const c = parse(CommentBody, payload.comment, 'comment');
      return {
        platformId: `discussion-comment/${c.id}`,
        threadPlatformId: `discussion/${d.id}`,
        parentPlatformId: c.parent_id ? `discussion-comment/${c.parent_id}` : `discussion/${d.id}`,
        item: c,
        text: c.body ?? '',
      };
    }
    case 'issue_comment': {
      const i = parse(Root.pick({ id: true }), payload.issue, 'issue');
      const c = parse(CommentBody, payload.comment, 'comment');
      return {
        platformId: `issue-comment/${c.id}`,
        threadPlatformId: `issue/${i.id}`,
        parentPlatformId: `issue/${i.id}`,
        item: c,
        text: c.body ?? '',
      };
    }
    case 'pull_request_review_comment': {
      const pr = parse(Root.pick({ id: true }), payload.pull_request, 'pull_request');
      const c = parse(CommentBody, payload.comment, 'comment');
      const root = `review-comment/${c.in_reply_to_id ?? c.id}`;
      return {
        platformId: `review-comment/${c.id}`,
        threadPlatformId: root,
        parentPlatformId: c.in_reply_to_id ? root : `pull/${pr.id}`,
        item: c,
        text: c.body ?? '',
      };
    }
    default:
      throw new ValidationError(`event "${event}" is not handled`);
  }
}

function authorOf(user: z.infer<typeof User>, association: string | undefined, ctx: SourceContext) {
  const known = (list: (c: typeof ctx.community, p: 'github', id: string) => boolean) =>
    list(ctx.community, 'github', user.login) || list(ctx.community, 'github', String(user.id));
  // Unreadable options give no association: a typo must never make members the brand.
  const options = GithubOptions.safeParse(ctx.source.options);
  const brandAssociations: readonly string[] = options.success ? (options.data.brandAssociations ?? []) : [];
  return {
    id: user.login,
    name: user.login,
    isBrand: known(isBrandAccount) || (association !== undefined && brandAssociations.includes(association)),
    isAutomated: known(isAutomatedAccount),
  };
}

/** Where an `issues.opened` came from, when it is a transfer rather than a new issue. */
function transferredFrom(event: string, action: string, changes: unknown): string | undefined {
  if (event !== 'issues' || action !== 'opened' || changes === undefined) return undefined;
  const parsed = TransferredFrom.safeParse(changes);
  if (!parsed.success || (!parsed.data.old_issue && !parsed.data.old_repository)) return undefined;
  const repository = parsed.data.old_repository?.full_name ?? 'another repository';
  const number = parsed.data.old_issue?.number;
  return number !== undefined ? `${repository}#${number}` : repository;
}

export const githubSource: Source = {
  type: 'github',
  platforms: ['github'],
  handle(request, ctx) {
    if (request.method !== 'POST') throw new ValidationError('the github source accepts POST only');
    const signature = request.headers['x-hub-signature-256'];
    const expected = hmacSha256(ctx.secret.signingKey, request.rawBody);
    if (!signature?.startsWith('sha256=') || !digestsMatch(expected, signature.slice(7), 'hex')) {
      throw new AuthError('X-Hub-Signature-256 does not match');
    }
    const event = request.headers['x-github-event'];
    if (!event) throw new ValidationError('X-GitHub-Event header is missing');
    const body = z
      .record(z.string(), z.unknown())
      .safeParse(readBody(request.rawBody, request.headers['content-type']));
    if (!body.success) throw new ValidationError('body must be a JSON object');
    if (event === 'ping') return { kind: 'ignored', status: 200, reason: 'ping' };

    const actions = Object.hasOwn(EVENT_ACTIONS, event) ? EVENT_ACTIONS[event] : undefined;
    if (!actions) return { kind: 'ignored', status: 200, reason: `event "${event}" carries no comment` };
    const action = typeof body.data.action === 'string' ? body.data.action : undefined;
    if (!action) throw new ValidationError('action is missing');
    const kind = Object.hasOwn(actions, action) ? actions[action] : undefined;
    // The event header is not signed: it must agree with the signed body (comment events carry a
    // comment, the others none), so a captured delivery cannot be replayed as another event.
    if (event.endsWith('_comment') !== (body.data.comment !== undefined)) {
      throw new ValidationError(`X-GitHub-Event "${event}" does not match the body`);
    }
    // Pinning, labelling, answering...: verified, nothing to classify.
    if (!kind) return { kind: 'ignored', status: 200, reason: `${event}.${action} carries no new text` };
    const origin = transferredFrom(event, action, body.data.changes);
    if (origin) {
      return {
        kind: 'ignored',
        status: 200,
        reason: `issue transferred from ${origin}: not a new comment, and not counted again`,
      };
    }
    const found = target(event, body.data);
    const { item } = found;
    const author = authorOf(item.user, item.author_association, ctx);
    if (item.user.type === 'Bot' && !author.isBrand) {
      return { kind: 'ignored', status: 200, reason: `${item.user.login} is a bot` };
    }
    const createdAt = dateToIso(item.created_at);
    if (!createdAt) throw new ValidationError('created_at is not a date');

    const prefix = ctx.source.id;
    const id = `${prefix}:${found.platformId}`;
    const batch = new BatchCollector(ctx.now);
    try {
      batch.add(0, {
        kind,
        dedupeKey:
          kind === 'edited' ? `${id}#edited#${dateToIso(item.updated_at) ?? createdAt}` : `${id}#${kind}`,
        comment: {
          id,
          platformId: found.platformId,
          source: prefix,
          platform: 'github',
          community: ctx.community.id,
          threadId: `${prefix}:${found.threadPlatformId}`,
          ...(found.parentPlatformId ? { parentId: `${prefix}:${found.parentPlatformId}` } : {}),
          author,
          text: found.text,
          createdAt,
          ...httpsUrl(item.html_url),
        },
      });
    } catch (error) {
      batch.reject(0, reasonOf(error));
    }
    return batch.outcome(200, 'nothing to enqueue');
  },
};

/** Headers GitHub would send with this body: for the local demo, benchmarks and tests. */
export function signGithubRequest(
  secret: string,
  rawBody: string | Buffer,
  event: string,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-hub-signature-256': `sha256=${hmacSha256(secret, rawBody).toString('hex')}`,
  };
}
