import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../shared/config/load.ts';
import { signDiscourseRequest } from '../shared/platforms/discourse.ts';
import { signGenericRequest } from '../shared/platforms/generic.ts';
import { signGithubRequest } from '../shared/platforms/github.ts';
import { SOURCES } from '../shared/platforms/index.ts';
import { signMetaRequest } from '../shared/platforms/meta.ts';
import { signSlackRequest } from '../shared/platforms/slack.ts';
import type { SourceContext, WebhookRequest } from '../shared/platforms/source.ts';
import { signXRequest } from '../shared/platforms/x.ts';

/**
 * Verify + parse time per webhook source (what the ingest function spends before enqueueing):
 * a ~2 KB delivery, and 100 comments — one batch where the platform batches (Meta changes, X
 * tweets, generic comments), 100 separate deliveries where it sends one event per call (Slack,
 * Discourse, GitHub). Payloads are the recorded fixtures' shapes, grown in code and signed with
 * the dev secret, so the full HMAC over the real byte count is measured.
 */

const ROOT = new URL('../', import.meta.url);
const RUNS_SMALL = 2000;
const RUNS_HUNDRED = 200;
const TARGET_BYTES = 2048;
const FILLER = 'Bonjour, la batterie du vélo tient-elle l’hiver à −5 °C ? Merci 🚲 ';

type Json = Record<string, unknown>;

function fixture(source: string, file: string): Json {
  return JSON.parse(readFileSync(new URL(`test/fixtures/events/${source}/${file}`, ROOT), 'utf8')) as Json;
}

/** A text that brings `build(text)`'s JSON to about TARGET_BYTES. */
function padded(build: (text: string) => unknown): Buffer {
  let text = '';
  while (Buffer.byteLength(JSON.stringify(build(text))) < TARGET_BYTES) text += FILLER;
  while (text.length > 0 && Buffer.byteLength(JSON.stringify(build(text))) > TARGET_BYTES)
    text = text.slice(0, -1);
  return Buffer.from(JSON.stringify(build(text)), 'utf8');
}

const clone = <T>(value: T): T => structuredClone(value);

interface Case {
  source: string;
  /** The ~2 KB delivery. */
  small: Buffer;
  /** 100 comments: one body (a batch) or 100 bodies (one event per delivery). */
  hundred: Buffer[];
  sign: (body: Buffer) => Record<string, string>;
}

function metaCase(secret: string): Case {
  const doc = fixture('meta', 'feed-comments-batch.json');
  const entry = (doc.entry as Json[])[0] as Json;
  const change = (entry.changes as Json[])[0] as Json;
  const withChanges = (changes: Json[]) => ({ ...doc, entry: [{ ...entry, changes }] });
  const changeWith = (i: number, message: string) => {
    const c = clone(change);
    const value = c.value as Json;
    value.comment_id = `555000000000001_${7700000000000000 + i}`;
    value.message = message;
    return c;
  };
  return {
    source: 'meta',
    small: padded((text) => withChanges([changeWith(1, text)])),
    hundred: [
      Buffer.from(
        JSON.stringify(
          withChanges(
            Array.from({ length: 100 }, (_, i) =>
              changeWith(i + 1, (change.value as Json).message as string),
            ),
          ),
        ),
      ),
    ],
    sign: (b) => signMetaRequest(secret, b),
  };
}

function xCase(secret: string): Case {
  const doc = fixture('x', 'tweet-create-mentions.json');
  const tweet = (doc.tweet_create_events as Json[])[0] as Json;
  const tweetWith = (i: number, text: string) => ({
    ...clone(tweet),
    id: 1800000000000000000 + i,
    id_str: String(1800000000000000000n + BigInt(i)),
    text,
  });
  return {
    source: 'x',
    small: padded((text) => ({ ...doc, tweet_create_events: [tweetWith(1, text)] })),
    hundred: [
      Buffer.from(
        JSON.stringify({
          ...doc,
          tweet_create_events: Array.from({ length: 100 }, (_, i) => tweetWith(i + 1, tweet.text as string)),
        }),
      ),
    ],
    sign: (b) => signXRequest(secret, b),
  };
}

function genericCase(secret: string): Case {
  const comment = (i: number, text: string) => ({
    id: `bench-${i}`,
    threadId: 'bench-thread',
    author: { id: `member-${i}`, name: `Membre ${i}` },
    text,
    createdAt: '2026-11-20T09:30:00.000Z',
  });
  return {
    source: 'generic',
    small: padded((text) => ({ comments: [comment(1, text)] })),
    hundred: [
      Buffer.from(
        JSON.stringify({
          comments: Array.from({ length: 100 }, (_, i) => comment(i + 1, 'Où trouver le manuel ? 📘')),
        }),
      ),
    ],
    sign: (b) => signGenericRequest(secret, b),
  };
}

function slackCase(secret: string): Case {
  const doc = fixture('slack', 'message.json');
  const event = doc.event as Json;
  const deliver = (i: number, text: string) => ({
    ...doc,
    event_id: `Ev0BENCH${String(i).padStart(5, '0')}`,
    event: { ...event, ts: `1795167000.${String(100 + i).padStart(6, '0')}`, text },
  });
  return {
    source: 'slack',
    small: padded((text) => deliver(1, text)),
    hundred: Array.from({ length: 100 }, (_, i) =>
      Buffer.from(JSON.stringify(deliver(i + 1, event.text as string))),
    ),
    sign: (b) => signSlackRequest(secret, b),
  };
}

function discourseCase(secret: string): Case {
  const doc = fixture('discourse', 'post-created.json');
  const post = doc.post as Json;
  const deliver = (i: number, raw: string) => ({
    ...doc,
    post: { ...post, id: 5000 + i, raw, cooked: `<p>${raw}</p>` },
  });
  return {
    source: 'discourse',
    small: padded((text) => deliver(1, text.slice(0, Math.floor(text.length / 2)))),
    hundred: Array.from({ length: 100 }, (_, i) =>
      Buffer.from(JSON.stringify(deliver(i + 1, post.raw as string))),
    ),
    sign: (b) => signDiscourseRequest(secret, b, 'post_created'),
  };
}

function githubCase(secret: string): Case {
  const doc = fixture('github', 'issue-comment-created.json');
  const comment = doc.comment as Json;
  const deliver = (i: number, body: string) => ({
    ...doc,
    comment: { ...comment, id: 3200000000 + i, body },
  });
  return {
    source: 'github',
    small: padded((text) => deliver(1, text)),
    hundred: Array.from({ length: 100 }, (_, i) =>
      Buffer.from(JSON.stringify(deliver(i + 1, comment.body as string))),
    ),
    sign: (b) => signGithubRequest(secret, b, 'issue_comment'),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function fmt(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

/** Times `run` (ms) over `runs` repetitions after a warm-up; returns [p50, p99]. */
function measure(runs: number, run: () => void): [number, number] {
  for (let i = 0; i < Math.min(50, runs); i++) run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return [percentile(samples, 50), percentile(samples, 99)];
}

export async function benchSources(): Promise<Array<{ metric: string; value: string }>> {
  const config = loadConfigFile(fileURLToPath(new URL('config/community-autopilot.yaml', ROOT)));
  const rows: Array<{ metric: string; value: string }> = [];
  const builders = [metaCase, slackCase, discourseCase, githubCase, xCase, genericCase];
  for (const build of builders) {
    const probe = build('');
    const sourceConfig =
      config.sources.find((s) => s.id === probe.source) ??
      config.sources.find((s) => s.type === probe.source);
    const community = config.communities.find((c) => c.id === sourceConfig?.community);
    const handler = sourceConfig && SOURCES[sourceConfig.type];
    if (!sourceConfig || !community || !handler) continue;
    const secret = `dev-secret-${sourceConfig.id}`;
    const c = build(secret);
    const ctx: SourceContext = {
      source: sourceConfig,
      community,
      secret: { signingKey: secret },
      now: new Date(),
    };
    // Signed once, before timing: the platform signs, we only verify.
    const request = (body: Buffer): WebhookRequest => ({
      method: 'POST',
      headers: c.sign(body),
      query: {},
      rawBody: body,
    });
    const small = request(c.small);
    const hundred = c.hundred.map(request);

    const comments = (r: WebhookRequest) => {
      const outcome = handler.handle(r, ctx);
      if (outcome.kind !== 'events')
        throw new Error(`${c.source}: the bench payload was not accepted (${outcome.kind})`);
      return outcome.events.length;
    };
    const total = hundred.reduce((n, r) => n + comments(r), 0);
    if (comments(small) !== 1 || total !== 100) {
      throw new Error(`${c.source}: expected 1 and 100 comments, got ${comments(small)} and ${total}`);
    }

    const [p50, p99] = measure(RUNS_SMALL, () => comments(small));
    rows.push({
      metric: `verify+parse ${c.source}, ${(c.small.length / 1024).toFixed(1)} KB delivery (p50 / p99, ${RUNS_SMALL} runs)`,
      value: `${fmt(p50)} / ${fmt(p99)}`,
    });
    const [h50, h99] = measure(RUNS_HUNDRED, () => {
      for (const r of hundred) comments(r);
    });
    const shape =
      hundred.length === 1
        ? `one ${((c.hundred[0]?.length ?? 0) / 1024).toFixed(0)} KB batch`
        : '100 single-event deliveries';
    rows.push({
      metric: `verify+parse ${c.source}, 100 comments (${shape}) (p50 / p99, ${RUNS_HUNDRED} runs)`,
      value: `${fmt(h50)} / ${fmt(h99)}`,
    });
  }
  return rows;
}

// `npx tsx bench/sources.ts` prints the table on its own.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const row of await benchSources()) console.log(`${row.metric.padEnd(96)} ${row.value}`);
}
