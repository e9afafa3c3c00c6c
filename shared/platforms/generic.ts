import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { CommentEvent } from '../domain/comment.ts';
import { AuthError, ValidationError } from '../domain/errors.ts';
import {
  assertFreshTimestamp,
  digestsMatch,
  hmacSha256,
  isAutomatedAccount,
  isBrandAccount,
  type RejectedItem,
  type Source,
} from './source.ts';

/**
 * The generic source, for any tool or script: a JSON body with one comment or `{comments: [...]}`,
 * signed as `x-signature-256: sha256=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>` with the
 * unix-seconds `x-signature-timestamp` within 5 minutes.
 */
const GenericComment = z.object({
  id: z.string().min(1).max(256),
  threadId: z.string().min(1).max(256).optional(),
  parentId: z.string().min(1).max(256).optional(),
  author: z.object({ id: z.string().min(1).max(256), name: z.string().max(256).default('') }),
  text: z.string().max(100_000),
  createdAt: z.iso.datetime({ offset: true }),
  url: z.url().optional(),
  /** `edited` and `deleted` refer to a comment sent earlier with the same id. */
  kind: z.enum(['created', 'edited', 'deleted']).default('created'),
});

const Body = z.union([
  z.object({ comments: z.array(z.unknown()).min(1).max(1000) }),
  z.record(z.string(), z.unknown()),
]);

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

export const genericSource: Source = {
  type: 'generic',
  platforms: ['generic'],
  handle(request, { source, community, secret, now }) {
    if (request.method !== 'POST') throw new ValidationError('the generic source accepts POST only');
    const timestamp = request.headers['x-signature-timestamp'];
    const signature = request.headers['x-signature-256'];
    assertFreshTimestamp(timestamp, now);
    const expected = hmacSha256(secret.signingKey, `${timestamp}.`, request.rawBody);
    if (
      !signature?.startsWith('sha256=') ||
      !digestsMatch(expected, signature.slice('sha256='.length), 'hex')
    ) {
      throw new AuthError('signature does not match');
    }

    let json: unknown;
    try {
      json = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      throw new ValidationError('body is not valid JSON');
    }
    const body = Body.safeParse(json);
    if (!body.success)
      throw new ValidationError('body must be a JSON object: one comment or {"comments": [...]}');
    const items = Array.isArray(body.data.comments) ? body.data.comments : [body.data];

    const events: CommentEvent[] = [];
    const rejected: RejectedItem[] = [];
    const receivedAt = now.toISOString();
    items.forEach((item, index) => {
      const parsed = GenericComment.safeParse(item);
      if (!parsed.success) {
        rejected.push({ index, reason: describe(parsed.error) });
        return;
      }
      const c = parsed.data;
      const id = `${source.id}:${c.id}`;
      events.push({
        version: 1,
        kind: c.kind,
        // A generic caller's own id identifies the comment; an edit is a new event per new text.
        dedupeKey:
          c.kind === 'edited'
            ? `${id}#edited#${createHash('sha256').update(c.text).digest('hex').slice(0, 16)}`
            : `${id}#${c.kind}`,
        comment: {
          id,
          platformId: c.id,
          source: source.id,
          platform: 'generic',
          community: community.id,
          threadId: c.threadId ? `${source.id}:${c.threadId}` : id,
          ...(c.parentId ? { parentId: `${source.id}:${c.parentId}` } : {}),
          author: {
            id: c.author.id,
            name: c.author.name,
            isBrand: isBrandAccount(community, 'generic', c.author.id),
            isAutomated: isAutomatedAccount(community, 'generic', c.author.id),
          },
          text: c.text,
          createdAt: new Date(c.createdAt).toISOString(),
          ...(c.url ? { url: c.url } : {}),
        },
        receivedAt,
      });
    });
    if (events.length === 0) {
      throw new ValidationError(
        `no valid comment in the body: ${rejected
          .slice(0, 5)
          .map((r) => `[${r.index}] ${r.reason}`)
          .join('; ')}${rejected.length > 5 ? ` (and ${rejected.length - 5} more)` : ''}`,
      );
    }
    return { kind: 'events', status: 202, events, rejected };
  },
};

/** The headers a caller of the generic source sends: what scripts, tests and the demo use to sign. */
export function signGenericRequest(
  secret: string,
  rawBody: string | Buffer,
  timestamp = Math.floor(Date.now() / 1000),
) {
  const signature = hmacSha256(secret, `${timestamp}.`, rawBody).toString('hex');
  return {
    'content-type': 'application/json',
    'x-signature-timestamp': String(timestamp),
    'x-signature-256': `sha256=${signature}`,
  };
}
