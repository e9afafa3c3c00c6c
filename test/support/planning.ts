import type { AutopilotConfig, CommunityConfig } from '../../shared/config/schema.ts';
import { applyCreations } from '../../shared/core/planning/comment-changes.ts';
import type { PlannedEvent } from '../../shared/core/planning/dedupe.ts';
import type { BatchContext, StoredComment } from '../../shared/core/ports.ts';
import type { CommentEvent } from '../../shared/domain/comment.ts';
import { commentEvent, KeywordClassifier, testConfig } from './builders.ts';

/** What the unit tests of the planning steps share: the test config, a batch time, classified events. */
export const AT = '2026-11-20T12:00:00.000Z';
export const config: AutopilotConfig = testConfig();
export const community = config.communities[0] as CommunityConfig;

const classifier = new KeywordClassifier();

export function emptyContext(): BatchContext {
  return {
    comments: new Map(),
    seenEvents: new Set(),
    members: new Map(),
    threads: new Map(),
    tombstones: new Map(),
  };
}

export async function planned(...events: CommentEvent[]): Promise<PlannedEvent[]> {
  const results = await classifier.classify(events.map((e) => ({ text: e.comment.text })));
  return events.map((event, i) => ({ event, classification: results[i] }));
}

/** A comment as the store would hold it after its creation was planned and committed. */
export async function storedComment(
  overrides: Parameters<typeof commentEvent>[0] = {},
  options: { deleted?: boolean; community?: CommunityConfig } = {},
): Promise<StoredComment> {
  const [item] = await planned(commentEvent(overrides));
  const [change] = applyCreations(
    [
      {
        kind: 'record',
        event: item?.event as CommentEvent,
        classification: item?.classification as NonNullable<PlannedEvent['classification']>,
        deleted: options.deleted ?? false,
        overTombstone: false,
        events: [],
      },
    ],
    options.community ?? community,
    config,
    AT,
  );
  return change?.after as StoredComment;
}

export function contextWith(...comments: StoredComment[]): BatchContext {
  const context = emptyContext();
  for (const c of comments) context.comments.set(c.comment.id, c);
  return context;
}
