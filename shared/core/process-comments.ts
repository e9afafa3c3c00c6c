import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import type { Classification, Classifier } from '../domain/classification.ts';
import type { CommentEvent } from '../domain/comment.ts';
import type { Member } from '../domain/members.ts';
import {
  type CommentRoutedMessage,
  commentRoutedNotification,
  NOTIFICATION_SCHEMA,
  NOTIFICATION_VERSION,
  welcomeNotification,
} from '../domain/notification.ts';
import type { Route } from '../domain/routing.ts';
import { contextRequest, type PlannedEvent, planBatch } from './plan-batch.ts';
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

const NOTIFIED_TEXT_CHARS = 8000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Events planned and committed together; fewer when a transaction would take too many writes. */
const CHUNK = 8;
/** Batches on one busy thread take turns (they share its head): enough tries for a burst. */
const MAX_ATTEMPTS = 12;

/**
 * The queue consumer's use case, per community and chunk of events: read what the chunk touches,
 * classify what is new, plan every write (plan-batch.ts), commit it in one transaction and, if
 * anything moved in between, read and plan again; then publish what is owed. Counting is exactly
 * once; each notification is claimed before it is published, so it goes out once per team, and
 * carries a stable id.
 */
export async function processCommentEvents(
  events: readonly CommentEvent[],
  deps: ProcessDeps,
): Promise<ProcessReport> {
  const report: ProcessReport = { failed: [], recorded: 0, duplicates: 0, changed: 0, notified: 0 };
  const now = deps.now ?? (() => new Date());
  const communities = new Map(deps.config.communities.map((c) => [c.id, c]));

  const groups = new Map<CommunityConfig, number[]>();
  events.forEach((event, index) => {
    const community = communities.get(event.comment.community);
    if (!community)
      report.failed.push({ index, error: new Error(`unknown community "${event.comment.community}"`) });
    else groups.set(community, [...(groups.get(community) ?? []), index]);
  });

  for (const [community, indexes] of groups) {
    // Each event is classified once, across conflict retries and chunk splits.
    const classified = new Map<CommentEvent, Classification>();
    const pending = [...indexes];
    let size = CHUNK;
    while (pending.length > 0) {
      const chunk = pending.slice(0, size);
      try {
        const chunkEvents = chunk.map((index) => events[index] as CommentEvent);
        const outcome = await commitChunk(community, chunkEvents, classified, deps);
        if (outcome === 'too-large' && size > 1) {
          size = Math.max(1, Math.floor(size / 2));
          continue;
        }
        if (outcome === 'too-large') throw new Error('one event needs more writes than a transaction takes');
        pending.splice(0, chunk.length);
        size = CHUNK;
        chunk.forEach((_, i) => {
          const result = outcome.outcomes[i];
          if (result === 'recorded') report.recorded += 1;
          else if (result === 'changed') report.changed += 1;
          else report.duplicates += 1;
        });
        const published = await notifyAll(community, chunk, outcome.results, outcome.welcomes, deps, now());
        report.notified += published.count;
        report.failed.push(...published.failed);
      } catch (error) {
        // Retried with the message (a classifier or store failure); the local engine alone never throws.
        pending.splice(0, chunk.length);
        for (const index of chunk) report.failed.push({ index, error });
      }
    }
  }
  report.failed.sort((a, b) => a.index - b.index);
  return report;
}

/**
 * Reads what the chunk touches, classifies only the events not already known (a redelivery costs
 * no Comprehend units), plans and commits; on a conflict, reads and plans again.
 */
async function commitChunk(
  community: CommunityConfig,
  chunk: CommentEvent[],
  classified: Map<CommentEvent, Classification>,
  deps: ProcessDeps,
) {
  const request = contextRequest(chunk);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const context = await deps.store.loadContext(community.id, request);
    const unknown = chunk.filter(
      (e) =>
        !classified.has(e) &&
        e.kind !== 'deleted' &&
        !(e.kind === 'created' && context.comments.has(e.comment.id)) &&
        !(e.kind === 'edited' && context.seenEvents.has(e.dedupeKey)),
    );
    if (unknown.length) {
      const results = await deps
        .classifierFor(community)
        .classify(unknown.map((e) => ({ id: e.comment.id, text: e.comment.text })));
      unknown.forEach((e, i) => {
        classified.set(e, results[i] as Classification);
      });
    }
    const planned: PlannedEvent[] = chunk.map((event) => ({ event, classification: classified.get(event) }));
    const plan = planBatch(planned, context, community, deps.config);
    const result = await deps.store.commit(community.id, plan.changes);
    if (result === 'committed') return plan;
    if (result === 'too-large') return 'too-large' as const;
    // Someone else wrote what this batch read: wait a little, read again, plan again.
    await new Promise((r) => setTimeout(r, Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random())));
  }
  throw new Error(`the batch kept conflicting with concurrent writes after ${MAX_ATTEMPTS} attempts`);
}

async function notifyAll(
  community: CommunityConfig,
  indexes: number[],
  results: readonly (StoredComment | undefined)[],
  welcomes: readonly Member[],
  deps: ProcessDeps,
  now: Date,
) {
  let count = 0;
  const failed: { index: number; error: unknown }[] = [];
  const seen = new Set<string>();
  for (const [i, item] of results.entries()) {
    if (!item || seen.has(item.comment.id)) continue;
    seen.add(item.comment.id); // the same comment twice in a batch is notified once
    try {
      count += await notifyRoutes(item, community, deps, now);
    } catch (error) {
      failed.push({ index: indexes[i] as number, error });
    }
  }
  if (community.welcomeNewMembers) {
    for (const member of welcomes) {
      try {
        if (!(await deps.store.claimWelcome(community.id, member.key, now))) continue;
        try {
          await deps.notifier.publish(welcomeNotification(member, community, now));
        } catch (error) {
          await deps.store.releaseWelcome(community.id, member.key);
          throw error;
        }
        await deps.store.confirmWelcome(community.id, member.key);
        count += 1;
      } catch (error) {
        const i = results.findIndex((r) => r?.comment.id === member.firstCommentId);
        failed.push({ index: indexes[Math.max(0, i)] as number, error });
      }
    }
  }
  return { count, failed };
}

async function notifyRoutes(
  item: StoredComment,
  community: CommunityConfig,
  deps: ProcessDeps,
  now: Date,
): Promise<number> {
  if (item.status !== 'active') return 0;
  let published = 0;
  for (const route of item.routes.filter((r) => !item.notifiedTeams.includes(r.team))) {
    // Claimed first: a second delivery of this comment being processed right now skips the team.
    if (!(await deps.store.claimNotification(community.id, item.comment.id, route.team, now))) continue;
    try {
      await deps.notifier.publish(
        commentRoutedNotification(routedMessage(item, route, community, now), community.locale),
      );
    } catch (error) {
      await deps.store.releaseNotification(community.id, item.comment.id, route.team);
      throw error;
    }
    await deps.store.confirmNotification(community.id, item.comment.id, route.team);
    published += 1;
  }
  return published;
}

function routedMessage(
  item: StoredComment,
  route: Route,
  community: CommunityConfig,
  now: Date,
): CommentRoutedMessage {
  const k = item.classification;
  return {
    schema: NOTIFICATION_SCHEMA,
    version: NOTIFICATION_VERSION,
    kind: 'comment.routed',
    id: `${item.comment.id}#${route.team}`,
    community: community.id,
    team: route.team,
    priority: route.priority,
    publishedAt: now.toISOString(),
    rule: route.rule,
    // SNS takes 256 KB and e-mail carries the text twice: a very long comment is cut, the link stays.
    comment: { ...item.comment, text: clip(item.comment.text, NOTIFIED_TEXT_CHARS) },
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
}
