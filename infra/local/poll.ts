import './quiet-env.ts';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FetchHttpClient } from '../../shared/adapters/fetch-http-client.ts';
import { parseSourceSecret } from '../../shared/adapters/secrets.ts';
import { loadConfigFile } from '../../shared/config/load.ts';
import type { CursorStore, FeedCursor } from '../../shared/core/ports.ts';
import type { CommentEvent } from '../../shared/domain/comment.ts';
import { POLLERS } from '../../shared/platforms/index.ts';
import { runPoller } from '../../shared/platforms/pollers/poller.ts';

/**
 * `npm run poll -- --source youtube`: one poll of a YouTube or Reddit source, by hand, with the
 * network (the local stack never polls: it runs offline). The real API is called with the key in
 * AUTOPILOT_SECRET_<SOURCE_ID>; the comments found are printed, not queued, and the cursors are
 * kept in <DATA_DIR>/poll-cursors.json so a second run prints only what is new.
 */

class FileCursorStore implements CursorStore {
  constructor(private readonly path: string) {}
  private async all(): Promise<Record<string, FeedCursor>> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Record<string, FeedCursor>;
    } catch {
      return {};
    }
  }
  async load(key: string) {
    return (await this.all())[key];
  }
  async save(key: string, cursor: FeedCursor) {
    const all = await this.all();
    all[key] = cursor;
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(this.path, `${JSON.stringify(all, null, 2)}\n`);
  }
}

function describe(event: CommentEvent): string {
  const c = event.comment;
  const who = `${c.author.name || c.author.id}${c.author.isBrand ? ' (brand)' : ''}`;
  const text = c.text.replace(/\s+/g, ' ').slice(0, 80);
  return `  ${event.kind.padEnd(7)} ${c.createdAt} ${c.id}\n          thread ${c.threadId} · ${who}: ${text}`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' },
      'backfill-hours': { type: 'string', default: '24' },
      'max-pages': { type: 'string', default: '3' },
    },
  });
  const config = loadConfigFile();
  const polled = config.sources.filter((s) => POLLERS[s.type]);
  const source = config.sources.find((s) => s.id === values.source);
  const poller = source && POLLERS[source.type];
  if (!source || !poller) {
    throw new Error(
      `usage: npm run poll -- --source <${polled.map((s) => s.id).join('|') || 'a polled source id'}> [--backfill-hours 24] [--max-pages 3]`,
    );
  }
  const community = config.communities.find((c) => c.id === source.community);
  if (!community) throw new Error(`source ${source.id} names an unknown community`);
  const variable = `AUTOPILOT_SECRET_${source.id.toUpperCase().replace(/-/g, '_')}`;
  const secretValue = process.env[variable];
  if (!secretValue) {
    throw new Error(
      `set ${variable} to the ${source.type} credentials (${source.type === 'reddit' ? '"<client id>:<client secret>"' : 'the API key'}) first`,
    );
  }

  const cursorFile = resolve(join(process.env.DATA_DIR ?? '.data', 'poll-cursors.json'));
  const events: CommentEvent[] = [];
  const reports = await runPoller(
    poller,
    { source, community, secret: parseSourceSecret(secretValue), now: new Date() },
    {
      http: new FetchHttpClient({ timeoutMs: 10_000 }),
      cursors: new FileCursorStore(cursorFile),
      sink: {
        async enqueue(batch) {
          events.push(...batch);
        },
      },
      maxPages: Number(values['max-pages']),
      backfillMs: Number(values['backfill-hours']) * 3600_000,
    },
  );
  console.log(`${source.id} (${source.type}): ${events.length} comment events`);
  for (const event of events) console.log(describe(event));
  for (const r of reports) {
    console.log(
      `feed ${r.feed}: ${r.pages} page(s), ${r.enqueued} queued, ${r.rejected} unreadable, stopped: ${r.stoppedBecause}${r.detail ? ` (${r.detail})` : ''}`,
    );
  }
  console.log(`cursors: ${cursorFile}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
