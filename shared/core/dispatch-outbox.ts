import type { AutopilotConfig, ChatTarget, CommunityConfig } from '../config/schema.ts';
import { DependencyError } from '../domain/errors.ts';
import type { Notification } from '../domain/notification.ts';
import type { OutboxEntry } from '../domain/outbox.ts';
import { renderChatbot } from '../notify/chatbot.ts';
import { renderPlain } from '../notify/plain.ts';
import { renderSlack } from '../notify/slack.ts';
import { renderTeams } from '../notify/teams.ts';
import { type NotificationView, notificationView } from '../notify/view.ts';
import type {
  ChatPoster,
  CommentStore,
  DeadLetters,
  DeliveryLog,
  DispatchProgressStore,
  Notifier,
  OperatorAlerts,
  OutboxChange,
} from './ports.ts';
import { renderEntry, UnrenderableEntry } from './render-outbox.ts';

export interface DispatchDeps {
  config: AutopilotConfig;
  notifier: Notifier;
  comments: Pick<CommentStore, 'get'>;
  progress: DispatchProgressStore;
  deadLetters: DeadLetters;
  /**
   * Chat targets (Slack, Teams, Chatbot) and what is already delivered per (notification,
   * target). Without it, only the team topics are published to and nothing is logged.
   */
  chat?: {
    posters: Partial<Record<ChatTarget['type'], ChatPoster>>;
    log: DeliveryLog;
    alerts: OperatorAlerts;
  };
  /** Waits between delivery attempts; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** Per kind of target: posts that went out, waits before a new attempt, posts given up on. */
export type TargetCounts = Record<string, { sent: number; retried: number; failed: number }>;

export interface DispatchReport {
  /** Notifications handed to their target. */
  delivered: number;
  /** Delivery calls made, failed ones included (delivered + retries + the last failure). */
  attempts: number;
  /** Entries with nothing left to send (a routed comment deleted in the same write). */
  skipped: number;
  /** Entries no retry can deliver, sent to the dead letters. */
  deadLettered: number;
  /**
   * Changes of this batch that an earlier attempt began and never ended (the dispatcher stopped
   * mid-batch): their notifications may be going out a second time, with the same id.
   */
  possibleDuplicates: number;
  /** Chat and topic deliveries per kind of target (`sns`, `slack`, `teams`, `chatbot`). */
  targets: TargetCounts;
  /** The index of the first change not fully delivered: it and every later one are retried. */
  failedAt?: number;
  error?: unknown;
}

/** Throttled deliveries are tried again here this many times, backing off, before the batch gives up. */
const DELIVERY_ATTEMPTS = 4;
const BACKOFF_MS = 200;
/**
 * The longest wait a chat target may ask for (Retry-After) that is waited here; a longer one, or
 * more waiting than this in one batch, fails the batch at this change and the stream retries it
 * (the targets already done are not posted to again).
 */
const MAX_WAIT_MS = 20_000;
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'KMSThrottlingException',
]);

/**
 * The one dispatcher. `changes` are the outbox-carrying changes of one stream batch, in stream
 * order. Each entry is rendered and delivered; a throttled delivery is retried with back-off; an
 * entry that cannot be rendered (unknown community or team, malformed record) goes to the dead
 * letters and the batch goes on; any other failure stops the batch at that change, so the
 * stream retries from there (at-least-once, in order). The attempt is recorded before the first
 * delivery and closed after the last, so a re-attempt after a crash is counted.
 */
export async function dispatchOutbox(
  batchKey: string,
  changes: readonly OutboxChange[],
  deps: DispatchDeps,
): Promise<DispatchReport> {
  const report: DispatchReport = {
    delivered: 0,
    attempts: 0,
    skipped: 0,
    deadLettered: 0,
    possibleDuplicates: 0,
    targets: {},
  };
  const first = changes[0];
  const last = changes.at(-1);
  if (!first || !last) return report;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  const { unfinished } = await deps.progress.begin(batchKey, first.sequence, last.sequence, now());
  if (unfinished) {
    report.possibleDuplicates = changes.filter(
      (c) =>
        compareSequence(c.sequence, unfinished.first) >= 0 &&
        compareSequence(c.sequence, unfinished.last) <= 0 &&
        (unfinished.through === undefined || compareSequence(c.sequence, unfinished.through) > 0),
    ).length;
  }

  let through: string | undefined;
  const waited = { ms: 0 };
  for (const [index, change] of changes.entries()) {
    try {
      for (const entry of change.entries) await deliverEntry(entry, change, deps, report, sleep, waited);
    } catch (error) {
      report.failedAt = index;
      report.error = error;
      break;
    }
    through = change.sequence;
  }
  await deps.progress.end(batchKey, through, now());
  return report;
}

async function deliverEntry(
  entry: OutboxEntry,
  change: OutboxChange,
  deps: DispatchDeps,
  report: DispatchReport,
  sleep: (ms: number) => Promise<void>,
  waited: { ms: number },
): Promise<void> {
  let notification: Notification | undefined;
  try {
    notification = await render(entry, change, deps);
  } catch (error) {
    if (!(error instanceof UnrenderableEntry)) throw error;
    await deps.deadLetters.send({ ...change, entries: [entry] }, error.message);
    report.deadLettered += 1;
    return;
  }
  if (!notification) {
    report.skipped += 1;
    return;
  }
  const community = deps.config.communities.find((c) => c.id === change.community) as CommunityConfig;
  const view = notificationView(notification.message, {
    locale: community.locale,
    timezone: community.timezone,
    ...(deps.config.consoleUrl ? { consoleUrl: deps.config.consoleUrl } : {}),
  });
  // E-mail reads what the cards show; a digest's text already is its whole content.
  if (!notification.message.kind.startsWith('digest.')) {
    notification = { ...notification, text: renderPlain(view, notification.subject) };
  }
  const done = deps.chat ? await deps.chat.log.done(notification.message.id) : new Map<string, string>();
  if (!done.has('sns')) {
    await publish(notification, deps, report, sleep);
    await deps.chat?.log.record(notification.message.id, 'sns', 'sent', now(deps));
  }
  const chat = deps.chat;
  const team = deps.config.teams.find((t) => t.id === notification.team);
  if (!chat || !team?.chat.length) return;
  for (const target of team.chat) {
    const key = targetKey(team.id, target);
    if (done.has(key)) continue;
    await postToTarget(
      { team: team.id, target, key, notification, view, change, entry },
      chat,
      deps,
      report,
      sleep,
      waited,
    );
  }
}

async function publish(
  notification: Notification,
  deps: DispatchDeps,
  report: DispatchReport,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    report.attempts += 1;
    try {
      await deps.notifier.publish(notification);
      report.delivered += 1;
      count(report, 'sns', 'sent');
      return;
    } catch (error) {
      if (!isThrottling(error) || attempt >= DELIVERY_ATTEMPTS) {
        count(report, 'sns', 'failed');
        throw error;
      }
      count(report, 'sns', 'retried');
      await sleep(BACKOFF_MS * 2 ** (attempt - 1));
    }
  }
}

interface TargetDelivery {
  team: string;
  target: ChatTarget;
  key: string;
  notification: Notification;
  view: NotificationView;
  change: OutboxChange;
  entry: OutboxEntry;
}

/**
 * One notification to one chat target: posted, waiting and posting again while the target asks
 * (429 with Retry-After) or fails for now, within the batch's wait budget; given up on, with a
 * dead letter and, the first time the target is seen broken, an operator alert, when it is gone
 * or refuses the message.
 */
async function postToTarget(
  d: TargetDelivery,
  chat: NonNullable<DispatchDeps['chat']>,
  deps: DispatchDeps,
  report: DispatchReport,
  sleep: (ms: number) => Promise<void>,
  waited: { ms: number },
): Promise<void> {
  const poster = chat.posters[d.target.type];
  if (!poster) throw new DependencyError(`no poster is configured for ${d.target.type} targets`);
  const payload = renderFor(d.target, d.view);
  for (let attempt = 1; ; attempt++) {
    report.attempts += 1;
    const outcome = await poster.post({
      team: d.team,
      target: d.target,
      notificationId: d.notification.message.id,
      payload,
    });
    if (outcome.kind === 'sent') {
      report.delivered += 1;
      count(report, d.target.type, 'sent');
      await chat.log.record(d.notification.message.id, d.key, 'sent', now(deps));
      return;
    }
    if (outcome.kind === 'retry') {
      const wait = outcome.afterMs ?? BACKOFF_MS * 2 ** (attempt - 1);
      if (attempt >= DELIVERY_ATTEMPTS || wait > MAX_WAIT_MS || waited.ms + wait > MAX_WAIT_MS) {
        count(report, d.target.type, 'failed');
        throw new DependencyError(
          `${d.key} is not accepting posts yet (${outcome.reason}); the batch is retried`,
        );
      }
      count(report, d.target.type, 'retried');
      waited.ms += wait;
      await sleep(wait);
      continue;
    }
    // gone or rejected: no retry will help; one dead letter per notification, one alert per broken target.
    count(report, d.target.type, 'failed');
    const reason = `${d.key} ${outcome.kind === 'gone' ? 'is gone' : 'refused the message'}: ${outcome.reason}`;
    await chat.log.record(d.notification.message.id, d.key, 'dead', now(deps), reason);
    await deps.deadLetters.send({ ...d.change, entries: [d.entry] }, reason);
    report.deadLettered += 1;
    if (await chat.log.markBroken(d.key, reason, now(deps))) {
      await chat.alerts.alert(
        `community-autopilot: chat target ${d.key} is failing`,
        [
          reason,
          '',
          outcome.kind === 'gone'
            ? `The ${d.target.type} target "${d.target.id}" of team "${d.team}" no longer accepts posts (webhook removed, channel archived or credentials revoked). Notifications to it go to the outbox dead-letter queue and are not retried.`
            : `The ${d.target.type} target "${d.target.id}" of team "${d.team}" refused a notification; it went to the outbox dead-letter queue.`,
          'Fix: put a working webhook URL or token in its secret (see docs/notifications.md), then replay the dead letters.',
          `First notification affected: ${d.notification.message.id}`,
        ].join('\n'),
      );
    }
    return;
  }
}

/** The key a delivery is logged under: one per team target (`support/slack`), or `sns` for the topic. */
export function targetKey(team: string, target: ChatTarget): string {
  return `${team}/${target.id}`;
}

function renderFor(target: ChatTarget, view: NotificationView): unknown {
  switch (target.type) {
    case 'slack':
      return renderSlack(view, { interactive: target.interactive });
    case 'teams':
      return renderTeams(view);
    case 'chatbot':
      return renderChatbot(view);
  }
}

function count(report: DispatchReport, target: string, what: 'sent' | 'retried' | 'failed'): void {
  const counts = report.targets[target] ?? { sent: 0, retried: 0, failed: 0 };
  counts[what] += 1;
  report.targets[target] = counts;
}

function now(deps: DispatchDeps): Date {
  return (deps.now ?? (() => new Date()))();
}

async function render(entry: OutboxEntry, change: OutboxChange, deps: DispatchDeps) {
  const community = deps.config.communities.find((c) => c.id === change.community);
  if (!community) throw new UnrenderableEntry(`unknown community "${change.community}"`);
  if (!deps.config.teams.some((t) => t.id === entry.team))
    throw new UnrenderableEntry(`unknown team "${entry.team}"`);
  return renderEntry(
    entry,
    change,
    community,
    async (id) => (await deps.comments.get(community.id, id))?.comment,
  );
}

function isThrottling(error: unknown): boolean {
  for (let e = error as { name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.name && THROTTLING.has(e.name)) return true;
  }
  return false;
}

/** Stream sequence numbers are decimal strings of any length: compare them as numbers. */
export function compareSequence(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  return x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : 0;
}
