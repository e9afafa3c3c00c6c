import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import {
  escalationNotification,
  NOTIFICATION_SCHEMA,
  NOTIFICATION_VERSION,
  type SlaEscalatedMessage,
} from '../domain/notification.ts';
import { ESCALATION_LEASE_MS, sentLevel, type ThreadItem } from '../domain/threads.ts';
import type { BatchChanges, CommentStore, Notifier, OpenItemStore } from './ports.ts';

export interface WatchDeps {
  config: AutopilotConfig;
  items: OpenItemStore;
  store: Pick<CommentStore, 'commit' | 'get'>;
  notifier: Notifier;
  now?: () => Date;
}

export interface WatchReport {
  community: string;
  escalated: { commentId: string; level: 1 | 2; team: string }[];
  failed: { commentId: string; error: unknown }[];
}

function itemChange(
  previous: ThreadItem,
  next: ThreadItem,
  counters: Record<string, number> = {},
): BatchChanges {
  return {
    comments: [],
    eventKeys: [],
    members: [],
    threadEntries: [{ previous, next }],
    counters: new Map(Object.keys(counters).length ? [[previous.day, counters]] : []),
    memberDays: new Map(),
    threads: new Map(),
    tombstones: [],
    overTombstones: new Set(),
  };
}

/**
 * Escalates open items past their SLA to the owning team (priority high), and past twice the SLA
 * to the escalation team (urgent) — each once. An escalation is claimed on the item (a conditional
 * write on its version) before it is published and confirmed after, so an item answered in the
 * meantime, or a second watcher, never causes a duplicate; a failed publish releases the claim, and
 * a claim left by a crashed run is taken again once its lease has run out.
 */
export async function watchSla(communityId: string, deps: WatchDeps): Promise<WatchReport> {
  const community = deps.config.communities.find((c) => c.id === communityId);
  if (!community) throw new Error(`unknown community "${communityId}"`);
  const now = (deps.now ?? (() => new Date()))();
  const report: WatchReport = { community: community.id, escalated: [], failed: [] };
  for (const due of await deps.items.dueItems(community.id, now)) {
    try {
      await escalate(due, community, deps, now, report);
    } catch (error) {
      // One item's failure (a dependency down) must not keep the others from being escalated.
      report.failed.push({ commentId: due.commentId, error });
    }
  }
  return report;
}

async function escalate(
  due: ThreadItem,
  community: CommunityConfig,
  deps: WatchDeps,
  now: Date,
  report: WatchReport,
): Promise<void> {
  // The index may lag a concurrent answer: decide on the item itself.
  const item = await deps.items.threadItem(community.id, due.threadId, due.commentId);
  if (item?.status !== 'open') return;
  const step = nextStep(item, community, now);
  if (!step) return;
  const claimed: ThreadItem = {
    ...item,
    escalationLevel: step.level,
    escalationSent: step.team ? sentLevel(item) : step.level,
    escalationClaimedAt: now.toISOString(),
    version: item.version + 1,
  };
  // Items past their SLA (level 1) and past twice the SLA (level 2), each counted once.
  const counter = step.level === 1 ? 'escalated' : 'escalatedAgain';
  const counts = step.retry ? {} : { [counter]: 1 };
  if ((await deps.store.commit(community.id, itemChange(item, claimed, counts))) !== 'committed') return;
  if (!step.team) return;
  try {
    const stored = await deps.store.get(community.id, item.commentId);
    const message: SlaEscalatedMessage = {
      schema: NOTIFICATION_SCHEMA,
      version: NOTIFICATION_VERSION,
      kind: 'sla.escalated',
      id: `escalation#${item.commentId}#${step.level}`,
      community: community.id,
      team: step.team,
      priority: step.level === 1 ? 'high' : 'urgent',
      publishedAt: now.toISOString(),
      level: step.level,
      item: {
        commentId: item.commentId,
        threadId: item.threadId,
        createdAt: item.createdAt,
        dueAt: item.dueAt,
        owningTeam: item.team,
        waitingMinutes: Math.round((now.getTime() - Date.parse(item.createdAt)) / 60_000),
      },
      ...(stored ? { comment: stored.comment } : {}),
    };
    await deps.notifier.publish(escalationNotification(message, community.locale));
    report.escalated.push({ commentId: item.commentId, level: step.level, team: step.team });
  } catch (error) {
    report.failed.push({ commentId: item.commentId, error });
    // Release: back to the state before the claim, so the next run tries again.
    await deps.store.commit(
      community.id,
      itemChange(claimed, { ...item, version: claimed.version + 1 }, step.retry ? {} : { [counter]: -1 }),
    );
    return;
  }
  // Confirmed: the index moves on to the next escalation, if any. A concurrent change to the item
  // (an answer, an edit) makes this conflict: read it again and confirm on what it is now.
  let current: ThreadItem | undefined = claimed;
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    if (current.escalationLevel !== step.level || sentLevel(current) >= step.level) return;
    const next: ThreadItem = { ...current, escalationSent: step.level, version: current.version + 1 };
    if ((await deps.store.commit(community.id, itemChange(current, next))) === 'committed') return;
    current = await deps.items.threadItem(community.id, item.threadId, item.commentId);
  }
  // Still unconfirmed: when the lease runs out it is sent once more, with the same id.
}

/**
 * Level 1 at the SLA to the owning team; level 2 at twice the SLA to the escalation team (if there is
 * none, level 2 is recorded with nothing to send); and a claim whose lease ran out, again.
 */
function nextStep(
  item: ThreadItem,
  community: CommunityConfig,
  now: Date,
): { level: 1 | 2; team?: string; retry?: boolean } | undefined {
  const at = now.toISOString();
  const teamFor = (level: 1 | 2) => (level === 1 ? item.team : community.escalationTeam);
  if (sentLevel(item) < item.escalationLevel) {
    const claimedAt = Date.parse(item.escalationClaimedAt ?? '1970-01-01T00:00:00Z');
    if (now.getTime() - claimedAt < ESCALATION_LEASE_MS) return undefined;
    const level = item.escalationLevel as 1 | 2;
    const team = teamFor(level);
    return { level, retry: true, ...(team ? { team } : {}) };
  }
  if (item.escalationLevel === 0 && at >= item.dueAt) return { level: 1, team: item.team };
  if (item.escalationLevel === 1 && at >= item.escalateAgainAt) {
    return community.escalationTeam ? { level: 2, team: community.escalationTeam } : { level: 2 };
  }
  return undefined;
}
