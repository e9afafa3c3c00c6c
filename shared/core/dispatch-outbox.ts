import type { AutopilotConfig } from '../config/schema.ts';
import type { Notification } from '../domain/notification.ts';
import type { OutboxEntry } from '../domain/outbox.ts';
import type { CommentStore, DeadLetters, DispatchProgressStore, Notifier, OutboxChange } from './ports.ts';
import { renderEntry, UnrenderableEntry } from './render-outbox.ts';

export interface DispatchDeps {
  config: AutopilotConfig;
  notifier: Notifier;
  comments: Pick<CommentStore, 'get'>;
  progress: DispatchProgressStore;
  deadLetters: DeadLetters;
  /** Waits between delivery attempts; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

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
  /** The index of the first change not fully delivered: it and every later one are retried. */
  failedAt?: number;
  error?: unknown;
}

/** Throttled deliveries are tried again here this many times, backing off, before the batch gives up. */
const DELIVERY_ATTEMPTS = 4;
const BACKOFF_MS = 200;
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
  for (const [index, change] of changes.entries()) {
    try {
      for (const entry of change.entries) await deliverEntry(entry, change, deps, report, sleep);
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
  for (let attempt = 1; ; attempt++) {
    report.attempts += 1;
    try {
      await deps.notifier.publish(notification);
      report.delivered += 1;
      return;
    } catch (error) {
      if (!isThrottling(error) || attempt >= DELIVERY_ATTEMPTS) throw error;
      await sleep(BACKOFF_MS * 2 ** (attempt - 1));
    }
  }
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
