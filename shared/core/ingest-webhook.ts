import type { AutopilotConfig } from '../config/schema.ts';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '../domain/errors.ts';
import type { Source, WebhookRequest } from '../platforms/source.ts';
import type { CommentQueue, SecretStore } from './ports.ts';

export interface IngestDeps {
  config: AutopilotConfig;
  sources: Readonly<Record<string, Source>>;
  secrets: SecretStore;
  queue: CommentQueue;
  now?: () => Date;
}

export interface IngestResponse {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Verifies a platform's call, answers its handshake or enqueues its comments, and acks.
 * No classification and no database work here: platforms give us seconds at most.
 * Throws AuthError, ValidationError, NotFoundError or PayloadTooLargeError; shared/http/errors-to-http.ts
 * maps them to HTTP.
 */
export async function ingestWebhook(
  sourceId: string,
  request: WebhookRequest,
  deps: IngestDeps,
): Promise<IngestResponse> {
  const sourceConfig = deps.config.sources.find((s) => s.id === sourceId);
  if (!sourceConfig) throw new NotFoundError(`unknown source "${sourceId}"`);
  const source = deps.sources[sourceConfig.type];
  if (!source)
    throw new NotFoundError(`source "${sourceId}" is polled (${sourceConfig.type}): it has no webhook`);
  if (request.rawBody.length > deps.config.maxBodyBytes) {
    throw new PayloadTooLargeError(
      `body is ${request.rawBody.length} bytes; the limit is ${deps.config.maxBodyBytes}`,
    );
  }
  if (request.method !== 'GET' && request.method !== 'POST') {
    throw new ValidationError(`method ${request.method} is not accepted; use POST (or GET for handshakes)`);
  }
  const community = deps.config.communities.find((c) => c.id === sourceConfig.community);
  if (!community) throw new NotFoundError(`source "${sourceId}" names an unknown community`);

  const secret = await deps.secrets.sourceSecret(sourceId);
  const context = { source: sourceConfig, community, secret, now: (deps.now ?? (() => new Date()))() };
  const outcome = source.handle(request, context);

  switch (outcome.kind) {
    case 'handshake':
      return { status: outcome.status, contentType: outcome.contentType, body: outcome.body };
    case 'ignored':
      return json(outcome.status, { accepted: [], ignored: outcome.reason });
    case 'events': {
      // A source may fill in what the payload lacks (Slack names); it never throws nor stalls the ack.
      const events = source.complete ? await source.complete(outcome.events, context) : outcome.events;
      await deps.queue.enqueue(events);
      return json(outcome.status, {
        accepted: events.map((e) => e.comment.id),
        ...(outcome.rejected.length ? { rejected: outcome.rejected } : {}),
      });
    }
  }
}

function json(status: number, body: unknown): IngestResponse {
  return { status, contentType: 'application/json', body: JSON.stringify(body) };
}
