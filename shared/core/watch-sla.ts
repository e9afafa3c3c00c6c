import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import { NotFoundError } from '../domain/errors.ts';
import { type OutboxEntry, outboxId } from '../domain/outbox.ts';
import type { ThreadItem } from '../domain/threads.ts';
import { itemChange } from './plan-batch.ts';
import type { CommentStore, OpenItemStore } from './ports.ts';

export interface WatchDeps {
  config: AutopilotConfig;
  items: OpenItemStore;
  store: Pick<CommentStore, 'commit'>;
  now?: () => Date;
}

export interface WatchReport {
  community: string;
  escalated: { commentId: string; level: 1 | 2; team: string }[];
  failed: { commentId: string; error: unknown }[];
}

/**
 * Escalates open items past their SLA to the owning team (priority high), and past twice the SLA
 * to the escalation team (urgent) — each once. An escalation is one conditional write of the item
 * (on the version read): its new level, its counter and the notification owed, as an outbox entry
 * the dispatcher delivers. An item answered in the meantime, or a second watcher, makes the write
 * fail and nothing is sent.
 */
export async function watchSla(communityId: string, deps: WatchDeps): Promise<WatchReport> {
  const community = deps.config.communities.find((c) => c.id === communityId);
  if (!community) throw new NotFoundError(`unknown community "${communityId}"`);
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
  const owed: OutboxEntry[] = step.team
    ? [
        {
          id: outboxId.escalation(item.commentId, step.level),
          kind: 'sla.escalated',
          at: now.toISOString(),
          team: step.team,
          level: step.level,
        },
      ]
    : [];
  const next: ThreadItem = {
    ...item,
    escalationLevel: step.level,
    outbox: [...(item.outbox ?? []), ...owed],
    version: item.version + 1,
  };
  // Items past their SLA (level 1) and past twice the SLA (level 2), each counted once.
  const counter = step.level === 1 ? 'escalated' : 'escalatedAgain';
  if ((await deps.store.commit(community.id, itemChange(item, next, { [counter]: 1 }))) !== 'committed')
    return;
  if (step.team) report.escalated.push({ commentId: item.commentId, level: step.level, team: step.team });
}

/**
 * Level 1 at the SLA to the owning team; level 2 at twice the SLA to the escalation team (if there
 * is none, level 2 is recorded with nothing to send).
 */
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
