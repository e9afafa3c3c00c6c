import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import { localDay } from '../domain/calendar.ts';
import type { Classification, Classifier } from '../domain/classification.ts';
import type { CommentEvent } from '../domain/comment.ts';
import { type Counters, commentCounters, counterDelta } from '../domain/kpi.ts';
import {
  type CommentRoutedMessage,
  commentRoutedNotification,
  NOTIFICATION_SCHEMA,
  NOTIFICATION_VERSION,
} from '../domain/notification.ts';
import { routeComment } from '../domain/routing.ts';
import type { CommentStore, Notifier, StoredComment } from './ports.ts';

export interface ProcessDeps {
  config: AutopilotConfig;
  /** Each community has its own classification policy (Comprehend off, always, when uncertain). */
  classifierFor(community: CommunityConfig): Classifier;
  store: CommentStore;
  notifier: Notifier;
  now?: () => Date;
}

export interface ProcessReport {
  /** Indexes (in the input) of the events that must be retried. */
  failed: { index: number; error: unknown }[];
  recorded: number;
  duplicates: number;
  changed: number;
  notified: number;
}

const MAX_CHANGE_ATTEMPTS = 5;

/**
 * The queue consumer's use case: dedupe, classify, route, record, notify.
 * Exactly-once counting comes from the store (a comment id is counted once, atomically with its
 * counters); notifications are at-least-once per team and carry a stable id, and a team already
 * marked notified is never published to again.
 */
export async function processCommentEvents(
  events: readonly CommentEvent[],
  deps: ProcessDeps,
): Promise<ProcessReport> {
  const report: ProcessReport = { failed: [], recorded: 0, duplicates: 0, changed: 0, notified: 0 };
  const now = deps.now ?? (() => new Date());
  const communities = new Map(deps.config.communities.map((c) => [c.id, c]));

  const classificationOf = new Map<number, Classification>();
  const toClassify = new Map<CommunityConfig, number[]>();
  events.forEach((e, index) => {
    const community = communities.get(e.comment.community);
    if (!community || e.kind === 'deleted') return;
    toClassify.set(community, [...(toClassify.get(community) ?? []), index]);
  });
  for (const [community, indexes] of toClassify) {
    try {
      const inputs = indexes.map((i) => ({ id: events[i]?.comment.id, text: events[i]?.comment.text ?? '' }));
      const results = await deps.classifierFor(community).classify(inputs);
      indexes.forEach((index, i) => {
        classificationOf.set(index, results[i] as Classification);
      });
    } catch (error) {
      // Classifier failures are retried with the message; the local engine alone never throws.
      for (const index of indexes) report.failed.push({ index, error });
    }
  }

  const stored = (event: CommentEvent, index: number, community: CommunityConfig): StoredComment => {
    const classification = classificationOf.get(index) as Classification;
    const routes = routeComment(event.comment, classification, deps.config.routing);
    return {
      comment: event.comment,
      classification,
      routes,
      day: localDay(event.comment.createdAt, community.timezone),
      counters: commentCounters(event.comment, classification, routes),
      status: 'active',
      version: 1,
      notifiedTeams: [],
    };
  };

  // Created comments: one atomic write per community and batch.
  const created = new Map<string, { index: number; item: StoredComment }[]>();
  const changes: { index: number; event: CommentEvent }[] = [];
  const unclassified = new Set(report.failed.map((f) => f.index));
  events.forEach((event, index) => {
    const community = communities.get(event.comment.community);
    if (unclassified.has(index)) return;
    if (!community) {
      report.failed.push({ index, error: new Error(`unknown community "${event.comment.community}"`) });
    } else if (event.kind === 'created') {
      const group = created.get(community.id) ?? [];
      group.push({ index, item: stored(event, index, community) });
      created.set(community.id, group);
    } else {
      changes.push({ index, event });
    }
  });

  const toNotify: { index: number; item: StoredComment }[] = [];
  for (const [communityId, group] of created) {
    try {
      const result = await deps.store.recordNew(
        communityId,
        group.map((g) => g.item),
      );
      report.recorded += result.recorded.length;
      report.duplicates += result.duplicates.length;
      // A duplicate may still owe notifications if an earlier attempt stopped before publishing.
      const byId = new Map([...result.recorded, ...result.duplicates].map((s) => [s.comment.id, s]));
      for (const g of group) {
        const current = byId.get(g.item.comment.id);
        byId.delete(g.item.comment.id); // the same comment twice in a batch is notified once
        if (current) toNotify.push({ index: g.index, item: current });
      }
    } catch (error) {
      for (const g of group) report.failed.push({ index: g.index, error });
    }
  }

  for (const { index, event } of changes) {
    try {
      const community = communities.get(event.comment.community) as CommunityConfig;
      const outcome = await applyChange(event, index, community, deps, stored);
      if (outcome === 'applied') report.changed += 1;
      if (outcome === 'duplicate') report.duplicates += 1;
      const current = await deps.store.get(community.id, event.comment.id);
      if (current) toNotify.push({ index, item: current });
    } catch (error) {
      report.failed.push({ index, error });
    }
  }

  for (const { index, item } of toNotify) {
    try {
      report.notified += await notify(
        item,
        communities.get(item.comment.community) as CommunityConfig,
        deps,
        now(),
      );
    } catch (error) {
      report.failed.push({ index, error });
    }
  }
  report.failed.sort((a, b) => a.index - b.index);
  return report;
}

async function applyChange(
  event: CommentEvent,
  index: number,
  community: CommunityConfig,
  deps: ProcessDeps,
  stored: (event: CommentEvent, index: number, community: CommunityConfig) => StoredComment,
): Promise<'applied' | 'duplicate' | 'recorded'> {
  for (let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS; attempt++) {
    const previous = await deps.store.get(community.id, event.comment.id);
    if (!previous) {
      if (event.kind === 'deleted') return 'duplicate'; // never seen: nothing to count or to mark
      // An edit that overtook its creation: the edited text is the comment.
      const result = await deps.store.recordNew(community.id, [stored(event, index, community)]);
      if (result.recorded.length) return 'recorded';
      continue;
    }
    let next: StoredComment;
    let delta: Counters;
    if (event.kind === 'deleted') {
      if (previous.status === 'deleted') return 'duplicate';
      next = { ...previous, status: 'deleted', version: previous.version + 1 };
      delta = { deleted: 1 };
    } else {
      const fresh = stored(event, index, community);
      // The comment keeps its day and its original creation time; only what it says changes.
      const comment = { ...fresh.comment, createdAt: previous.comment.createdAt };
      const counters = { ...fresh.counters };
      next = {
        ...fresh,
        comment,
        day: previous.day,
        counters,
        status: previous.status,
        version: previous.version + 1,
        notifiedTeams: previous.notifiedTeams,
      };
      delta = { ...counterDelta(previous.counters, counters), edited: 1 };
    }
    const result = await deps.store.applyChange(community.id, {
      eventKey: event.dedupeKey,
      next,
      expectedVersion: previous.version,
      delta,
    });
    if (result !== 'conflict') return result;
  }
  throw new Error(`comment ${event.comment.id} kept changing under ${MAX_CHANGE_ATTEMPTS} attempts`);
}

async function notify(
  item: StoredComment,
  community: CommunityConfig,
  deps: ProcessDeps,
  now: Date,
): Promise<number> {
  if (item.status !== 'active') return 0;
  const pending = item.routes.filter((r) => !item.notifiedTeams.includes(r.team));
  if (pending.length === 0) return 0;
  const k = item.classification;
  for (const route of pending) {
    const message: CommentRoutedMessage = {
      schema: NOTIFICATION_SCHEMA,
      version: NOTIFICATION_VERSION,
      kind: 'comment.routed',
      id: `${item.comment.id}#${route.team}`,
      community: community.id,
      team: route.team,
      priority: route.priority,
      publishedAt: now.toISOString(),
      rule: route.rule,
      comment: item.comment,
      classification: {
        intent: k.intent,
        intents: k.intents,
        sentiment: k.sentiment.label,
        language: k.language,
        toxic: k.toxic.flag,
        toxicLabels: k.toxic.labels,
        spam: k.spam.flag,
        spamReasons: k.spam.reasons,
      },
    };
    await deps.notifier.publish(commentRoutedNotification(message, community.locale));
  }
  await deps.store.markNotified(
    community.id,
    item.comment.id,
    pending.map((r) => r.team),
  );
  return pending.length;
}
