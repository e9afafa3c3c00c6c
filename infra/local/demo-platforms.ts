import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../shared/config/load.ts';
import type { AutopilotConfig, SourceConfig } from '../../shared/config/schema.ts';
import { localDay } from '../../shared/domain/calendar.ts';
import type { CommentEvent } from '../../shared/domain/comment.ts';
import { signDiscourseRequest } from '../../shared/platforms/discourse.ts';
import { signGithubRequest } from '../../shared/platforms/github.ts';
import { SOURCES } from '../../shared/platforms/index.ts';
import { signMetaRequest } from '../../shared/platforms/meta.ts';
import { signSlackRequest } from '../../shared/platforms/slack.ts';
import { hmacSha256, type SourceSecret } from '../../shared/platforms/source.ts';
import { signXRequest } from '../../shared/platforms/x.ts';
import { DevSecretStore } from './dev-secrets.ts';

/**
 * `npm run demo -- --source <platform>`: replays a platform's recorded deliveries from
 * test/fixtures/events/<platform>/ against the running local stack, signed exactly as the platform
 * signs them with the dev secret, handshake first; then shows where the comments went, that the
 * brand's reply sits in the member's thread and is counted as a brand reply, and the KPI totals
 * over the fixtures' own dates (they are recorded, so usually days old).
 */

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/events/', import.meta.url));

type Signer = (secret: SourceSecret, body: Buffer) => Record<string, string>;

interface Delivery {
  file: string;
  sign: Signer;
}

interface PlatformDemo {
  /** The handshake the platform performs when the URL is registered. */
  handshake: (call: Caller, secret: SourceSecret) => Promise<string>;
  /** Deliveries in the order the platform would send them (a creation before its edit or deletion). */
  deliveries: Delivery[];
}

type Caller = (
  method: 'GET' | 'POST',
  query: string,
  body?: Buffer,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: string }>;

const meta: Signer = (s, b) => ({ 'content-type': 'application/json', ...signMetaRequest(s.signingKey, b) });
const slack: Signer = (s, b) => signSlackRequest(s.signingKey, b);
const x: Signer = (s, b) => signXRequest(s.signingKey, b);
const discourse =
  (event: string): Signer =>
  (s, b) => ({ 'content-type': 'application/json', ...signDiscourseRequest(s.signingKey, b, event) });
const github =
  (event: string): Signer =>
  (s, b) =>
    signGithubRequest(s.signingKey, b, event);

async function fixture(platform: string, file: string): Promise<Buffer> {
  return readFile(join(FIXTURES, platform, file));
}

function verdict(ok: boolean): string {
  return ok ? 'answered as the platform expects' : 'UNEXPECTED ANSWER';
}

export const PLATFORM_DEMOS: Readonly<Record<string, PlatformDemo>> = {
  meta: {
    async handshake(call, secret) {
      const challenge = String(randomBytes(4).readUInt32BE());
      const query = new URLSearchParams({
        'hub.mode': 'subscribe',
        'hub.verify_token': secret.verifyToken ?? '',
        'hub.challenge': challenge,
      });
      const answer = await call('GET', `?${query}`);
      return `GET hub.challenge → ${answer.status} "${answer.body}" (${verdict(answer.status === 200 && answer.body === challenge)})`;
    },
    deliveries: [
      { file: 'feed-comments-batch.json', sign: meta },
      { file: 'instagram-comments.json', sign: meta },
      { file: 'feed-batch-with-bad-change.json', sign: meta },
    ],
  },
  slack: {
    async handshake(call, secret) {
      const body = await fixture('slack', 'url-verification.json');
      const { challenge } = JSON.parse(body.toString('utf8')) as { challenge: string };
      const answer = await call('POST', '', body, {
        'content-type': 'application/json',
        ...slack(secret, body),
      });
      return `POST url_verification → ${answer.status} (${verdict(answer.status === 200 && answer.body === challenge)})`;
    },
    deliveries: [
      { file: 'message.json', sign: slack },
      { file: 'brand-bot-reply.json', sign: slack },
      { file: 'other-bot-message.json', sign: slack },
      { file: 'channel-join.json', sign: slack },
      { file: 'message-changed.json', sign: slack },
      { file: 'message-deleted.json', sign: slack },
    ].map((d) => ({
      ...d,
      sign: (s: SourceSecret, b: Buffer) => ({ 'content-type': 'application/json', ...d.sign(s, b) }),
    })),
  },
  discourse: {
    async handshake(call, secret) {
      const body = await fixture('discourse', 'ping.json');
      const answer = await call('POST', '', body, discourse('ping')(secret, body));
      return `POST ping → ${answer.status} (${verdict(answer.status === 200)})`;
    },
    deliveries: [
      { file: 'post-created.json', sign: discourse('post_created') },
      { file: 'post-created-brand-reply.json', sign: discourse('post_created') },
      { file: 'post-created-whisper.json', sign: discourse('post_created') },
      { file: 'post-edited.json', sign: discourse('post_edited') },
      { file: 'post-destroyed.json', sign: discourse('post_destroyed') },
    ],
  },
  github: {
    async handshake(call, secret) {
      const body = await fixture('github', 'ping.json');
      const answer = await call('POST', '', body, github('ping')(secret, body));
      return `POST ping → ${answer.status} (${verdict(answer.status === 200)})`;
    },
    deliveries: [
      { file: 'discussion-created.json', sign: github('discussion') },
      { file: 'discussion-comment-brand-reply.json', sign: github('discussion_comment') },
      { file: 'discussion-comment-member-reply.json', sign: github('discussion_comment') },
      { file: 'issue-comment-created.json', sign: github('issue_comment') },
      { file: 'issue-comment-edited.json', sign: github('issue_comment') },
      { file: 'issue-comment-by-other-bot.json', sign: github('issue_comment') },
    ],
  },
  x: {
    async handshake(call, secret) {
      const token = randomBytes(12).toString('base64url');
      const answer = await call('GET', `?crc_token=${token}`);
      const expected = JSON.stringify({
        response_token: `sha256=${hmacSha256(secret.signingKey, token).toString('base64')}`,
      });
      return `GET crc_token → ${answer.status} (${verdict(answer.status === 200 && answer.body === expected)})`;
    },
    deliveries: [
      { file: 'tweet-create-mentions.json', sign: x },
      { file: 'tweet-create-brand-reply.json', sign: x },
      { file: 'favorite-event.json', sign: x },
      { file: 'tweet-delete.json', sign: x },
    ].map((d) => ({
      ...d,
      sign: (s: SourceSecret, b: Buffer) => ({ 'content-type': 'application/json', ...d.sign(s, b) }),
    })),
  },
};

interface Sent {
  platform: string;
  source: SourceConfig;
  /** The events the stack reported as accepted, as the source parses them (for thread and date display). */
  events: CommentEvent[];
}

/** The source configured for a platform: the one whose id is the platform's name, else the first of its type. */
function sourceFor(config: AutopilotConfig, platform: string): SourceConfig {
  const source =
    config.sources.find((s) => s.id === platform && s.type === platform) ??
    config.sources.find((s) => s.type === platform);
  if (!source) throw new Error(`the configuration has no ${platform} source`);
  return source;
}

async function sendPlatform(platform: string, config: AutopilotConfig, base: string): Promise<Sent> {
  const demo = PLATFORM_DEMOS[platform] as PlatformDemo;
  const source = sourceFor(config, platform);
  const community = config.communities.find((c) => c.id === source.community);
  if (!community) throw new Error(`source ${source.id} names an unknown community`);
  // The same dev secrets the local stack uses (AUTOPILOT_SECRET_<ID> overrides included).
  const secret = await new DevSecretStore().sourceSecret(source.id);
  const url = `${base}/webhooks/${encodeURIComponent(source.id)}`;
  const call: Caller = async (method, query, body, headers = {}) => {
    const response = await fetch(`${url}${query}`, { method, headers, ...(body ? { body } : {}) });
    return { status: response.status, body: await response.text() };
  };

  console.log(`\n${platform} → ${url}`);
  console.log(`  handshake: ${await demo.handshake(call, secret)}`);
  const events: CommentEvent[] = [];
  for (const delivery of demo.deliveries) {
    const body = await fixture(platform, delivery.file);
    const headers = delivery.sign(secret, body);
    const answer = await call('POST', '', body, headers);
    let summary = answer.body.slice(0, 120);
    try {
      const parsed = JSON.parse(answer.body) as {
        accepted?: string[];
        rejected?: unknown[];
        ignored?: string;
      };
      summary = parsed.ignored
        ? `ignored: ${parsed.ignored}`
        : `accepted ${parsed.accepted?.length ?? 0}${parsed.rejected?.length ? `, rejected ${parsed.rejected.length} bad item(s), the rest kept` : ''}`;
      // Parse locally too, only to show threads and dates: the stack already decided what it accepted.
      const outcome = SOURCES[source.type]?.handle(
        { method: 'POST', headers, query: {}, rawBody: body },
        { source, community, secret, now: new Date() },
      );
      const accepted = new Set(parsed.accepted ?? []);
      if (outcome?.kind === 'events')
        events.push(...outcome.events.filter((e) => accepted.has(e.comment.id)));
    } catch {
      // A non-JSON answer is printed as is.
    }
    console.log(`  POST ${delivery.file.padEnd(36)} → ${answer.status} ${summary}`);
  }
  const forged = await fixture(platform, demo.deliveries[0]?.file as string);
  const forgedAnswer = await call(
    'POST',
    '',
    forged,
    demo.deliveries[0]?.sign({ signingKey: 'not-the-secret' }, forged) ?? {},
  );
  console.log(`  the first delivery signed with a wrong secret → ${forgedAnswer.status} (nothing queued)`);
  return { platform, source, events };
}

interface Notification {
  team: string;
  subject: string;
  message: { comment?: { id: string } };
}

type Totals = Record<string, number | Record<string, number>>;

async function kpiTotals(base: string, community: string, from: string, to: string): Promise<Totals> {
  const response = await fetch(`${base}/kpis?community=${community}&from=${from}&to=${to}`);
  if (response.status !== 200)
    throw new Error(`GET /kpis answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { totals: Totals }).totals;
}

export async function platformDemo(platforms: string[], options: { base: string; dataDir: string }) {
  const { base, dataDir } = options;
  const config = loadConfigFile();
  try {
    await fetch(`${base}/health`);
  } catch {
    throw new Error(
      `nothing answers on ${base}: start the local stack first with \`npm start\` (if it runs on another port, set PORT here too)`,
    );
  }
  const sources = platforms.map((p) => sourceFor(config, p));
  const community = config.communities.find((c) => c.id === sources[0]?.community);
  if (!community) throw new Error('the configuration has no community for these sources');

  // The KPI window is the fixtures' own days (community time zone), read before and after.
  const times: string[] = [];
  for (const platform of platforms) {
    const demo = PLATFORM_DEMOS[platform] as PlatformDemo;
    const source = sourceFor(config, platform);
    const secret = await new DevSecretStore().sourceSecret(source.id);
    for (const d of demo.deliveries) {
      const body = await fixture(platform, d.file);
      try {
        const outcome = SOURCES[source.type]?.handle(
          { method: 'POST', headers: d.sign(secret, body), query: {}, rawBody: body },
          { source, community, secret, now: new Date() },
        );
        if (outcome?.kind === 'events') times.push(...outcome.events.map((e) => e.comment.createdAt));
      } catch {
        // Deliveries the source refuses carry no date to cover.
      }
    }
  }
  const days = times.map((t) => localDay(t, community.timezone)).sort();
  const from = days[0] ?? localDay(new Date(), community.timezone);
  const to = days.at(-1) ?? from;
  const before = await kpiTotals(base, community.id, from, to);

  const sent: Sent[] = [];
  for (const platform of platforms) sent.push(await sendPlatform(platform, config, base));

  await fetch(`${base}/local/idle`);

  const ids = new Set(sent.flatMap((s) => s.events.map((e) => e.comment.id)));
  const lines = (await readFile(join(dataDir, 'notifications.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean);
  const routed = new Map<string, string[]>();
  for (const line of lines) {
    const n = JSON.parse(line) as Notification;
    if (!n.message.comment || !ids.has(n.message.comment.id)) continue;
    routed.set(n.team, [...(routed.get(n.team) ?? []), n.subject]);
  }
  console.log(`\nRouted notifications for these comments (from ${join(dataDir, 'notifications.jsonl')}):`);
  if (routed.size === 0) console.log('  none found (is DATA_DIR the one `npm start` writes to?)');
  for (const [team, subjects] of [...routed].sort()) {
    console.log(`  ${team}: ${subjects.length}`);
    for (const subject of subjects.slice(0, 4)) console.log(`    ${subject}`);
    if (subjects.length > 4) console.log(`    … and ${subjects.length - 4} more`);
  }

  console.log("\nThe brand's replies, each in the thread of a member's comment:");
  for (const { platform, events } of sent) {
    const created = events.filter((e) => e.kind === 'created');
    for (const reply of created.filter((e) => e.comment.author.isBrand)) {
      const member = created.find(
        (e) => !e.comment.author.isBrand && e.comment.threadId === reply.comment.threadId,
      );
      console.log(
        `  ${platform}: ${reply.comment.id} by ${reply.comment.author.name || reply.comment.author.id} (brand account)\n` +
          `    thread ${reply.comment.threadId}` +
          (member
            ? `, member's comment ${member.comment.id}: "${member.comment.text.slice(0, 60).replace(/\s+/g, ' ')}"`
            : ' (no member comment of this thread in the fixtures)'),
      );
    }
  }

  const after = await kpiTotals(base, community.id, from, to);
  const count = (t: Totals, key: string) => (typeof t[key] === 'number' ? (t[key] as number) : 0);
  console.log(
    `\nKPI totals of ${community.id}, ${from} to ${to} (the fixtures' dates, ${community.timezone}):`,
  );
  for (const key of ['comments', 'memberComments', 'brandReplies', 'edited', 'deleted', 'toxic', 'spam']) {
    const delta = count(after, key) - count(before, key);
    console.log(`  ${key}: ${count(after, key)}${delta ? ` (+${delta} from this run)` : ''}`);
  }
  for (const key of ['byPlatform', 'byIntent', 'bySentiment', 'byLanguage', 'routedTo']) {
    const group = (after[key] ?? {}) as Record<string, number>;
    console.log(
      `  ${key}: ${
        Object.entries(group)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '—'
      }`,
    );
  }
  console.log('  (a second run adds nothing: every delivery is recognised by its dedupe key)');
}
