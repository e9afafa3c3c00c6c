import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import {
  escalationNotification,
  NOTIFICATION_SCHEMA,
  NOTIFICATION_VERSION,
  type SlaEscalatedMessage,
} from '../domain/notification.ts';
import type { ThreadItem } from '../domain/threads.ts';
import type { CommentStore, Notifier, OpenItemStore } from './ports.ts';

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

/**
 * Escalates open items past their SLA to the owning team (priority high), and past twice the SLA
 * to the escalation team (urgent) — each once. An escalation is claimed in the store before it is
 * published (a conditional write on the item's version), so an item answered in the meantime, or
 * a second watcher, never causes a duplicate; a failed publish releases the claim for the next run.
 */
export async function watchSla(communityId: string, deps: WatchDeps): Promise<WatchReport> {
  const community = deps.config.communities.find((c) => c.id === communityId);
  if (!community) throw new Error(`unknown community "${communityId}"`);
  const now = (deps.now ?? (() => new Date()))();
  const report: WatchReport = { community: community.id, escalated: [], failed: [] };
  for (const due of await deps.items.dueItems(community.id, now)) {
    // The index may lag a concurrent answer: decide on the item itself.
    const item = await deps.items.threadItem(community.id, due.threadId, due.commentId);
    if (item?.status !== 'open') continue;
    const step = nextStep(item, community, now);
    if (!step) continue;
    const claimed: ThreadItem = { ...item, escalationLevel: step.level, version: item.version + 1 };
    // Items past their SLA (level 1) and past twice the SLA (level 2), each counted once.
    const counter = step.level === 1 ? 'escalated' : 'escalatedAgain';
    const counters = new Map([[item.day, { [counter]: step.team ? 1 : 0 }]]);
    const claim = await deps.store.commit(community.id, {
      comments: [],
      eventKeys: [],
      members: [],
      threadEntries: [{ previous: item, next: claimed }],
      counters,
      memberDays: new Map(),
      threads: new Map(),
      tombstones: [],
    });
    if (claim !== 'committed' || !step.team) continue;
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
      await deps.store.commit(community.id, {
        comments: [],
        eventKeys: [],
        members: [],
        threadEntries: [{ previous: claimed, next: { ...item, version: claimed.version + 1 } }],
        counters: new Map([[item.day, { [counter]: -1 }]]),
        memberDays: new Map(),
        threads: new Map(),
        tombstones: [],
      });
    }
  }
  return report;
}

/** Level 1 at the SLA to the owning team; level 2 at twice the SLA to the escalation team, if there is one. */
function nextStep(
  item: ThreadItem,
  community: CommunityConfig,
  now: Date,
): { level: 1 | 2; team?: string } | undefined {
  const at = now.toISOString();
  if (item.escalationLevel === 0 && at >= item.dueAt) return { level: 1, team: item.team };
  if (item.escalationLevel === 1 && at >= item.escalateAgainAt) {
    return community.escalationTeam ? { level: 2, team: community.escalationTeam } : { level: 2 };
  }
  return undefined;
}
