import './quiet-env.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../../shared/config/load.ts';
import { addDays, localDay } from '../../shared/domain/calendar.ts';
import { signGenericRequest } from '../../shared/platforms/generic.ts';
import { DEMO_COMMENTS } from './demo-comments.ts';
import { PLATFORM_DEMOS, platformDemo } from './demo-platforms.ts';

/**
 * `npm run demo`: sends the demo community's day to the running local stack (npm start), signed
 * as the generic source, then prints where each comment was routed and the KPI totals.
 * `npm run demo -- --source meta|slack|discourse|github|x|all` sends that platform's recorded
 * fixtures instead, signed as the platform signs them (see demo-platforms.ts).
 * Safe to run again: the ids are fixed, so nothing is counted or notified twice.
 */
const base = `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const dataDir = process.env.DATA_DIR ?? '.data';
const SOURCE = 'generic';
const secret = process.env[`AUTOPILOT_SECRET_${SOURCE.toUpperCase()}`] ?? `dev-secret-${SOURCE}`;

async function post(body: string, headers: Record<string, string>) {
  const response = await fetch(`${base}/webhooks/${SOURCE}`, { method: 'POST', body, headers });
  return { status: response.status, body: await response.text() };
}

async function genericDemo() {
  const config = loadConfigFile();
  const community = config.communities[0];
  if (!community) throw new Error('the configuration has no community');
  try {
    await fetch(`${base}/health`);
  } catch {
    throw new Error(`nothing answers on ${base}: start the local stack first with \`npm start\``);
  }

  const reference = Date.now();
  const byId = new Map(DEMO_COMMENTS.map((c) => [c.id, c]));
  const rootOf = (id: string): string => {
    const parent = byId.get(id)?.replyTo;
    return parent ? rootOf(parent) : id;
  };
  const comments = DEMO_COMMENTS.map((c) => ({
    id: c.id,
    threadId: rootOf(c.id),
    ...(c.replyTo ? { parentId: c.replyTo } : {}),
    author: { id: c.author, name: c.author },
    text: c.text,
    createdAt: new Date(reference - c.ago * 60_000).toISOString(),
    url: `https://community.velo-lumiere.example/t/${rootOf(c.id)}#${c.id}`,
  }));

  console.log(`Sending ${comments.length} comments to ${base}/webhooks/${SOURCE} …`);
  let accepted = 0;
  for (let i = 0; i < comments.length; i += 10) {
    const body = JSON.stringify({ comments: comments.slice(i, i + 10) });
    const answer = await post(body, signGenericRequest(secret, body));
    if (answer.status !== 202) throw new Error(`the stack answered ${answer.status}: ${answer.body}`);
    accepted += (JSON.parse(answer.body) as { accepted: string[] }).accepted.length;
  }
  console.log(`  accepted: ${accepted}`);

  const forged = JSON.stringify({ comments: [{ ...comments[0], text: 'forged' }] });
  const wrong = await post(forged, signGenericRequest('not-the-secret', forged));
  const broken = '{"comments": [';
  const malformed = await post(broken, signGenericRequest(secret, broken));
  console.log(
    `  a wrongly signed request → ${wrong.status}, a broken JSON body → ${malformed.status} (neither is counted)`,
  );

  await fetch(`${base}/local/idle`);

  const lines = (await readFile(join(dataDir, 'notifications.jsonl'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean);
  const demoIds = new Set(comments.map((c) => `${SOURCE}:${c.id}`));
  const routed = new Map<string, string[]>();
  for (const line of lines) {
    const n = JSON.parse(line) as { team: string; subject: string; message: { comment?: { id: string } } };
    if (!n.message.comment || !demoIds.has(n.message.comment.id)) continue;
    routed.set(n.team, [...(routed.get(n.team) ?? []), n.subject]);
  }
  console.log(`\nRouted notifications (from ${join(dataDir, 'notifications.jsonl')}):`);
  for (const [team, subjects] of [...routed].sort()) {
    console.log(`  ${team}: ${subjects.length}`);
    for (const subject of subjects.slice(0, 3)) console.log(`    ${subject}`);
    if (subjects.length > 3) console.log(`    … and ${subjects.length - 3} more`);
  }

  const today = localDay(new Date(), community.timezone);
  const from = addDays(today, -1);
  const kpiUrl = `${base}/kpis?community=${community.id}&from=${from}&to=${today}`;
  const kpis = (await (await fetch(kpiUrl)).json()) as { totals: Record<string, unknown> };
  const t = kpis.totals as Record<string, number | Record<string, number>>;
  console.log(`\nKPI totals, ${from} to ${today} (GET ${kpiUrl}):`);
  for (const key of ['comments', 'memberComments', 'brandReplies', 'toxic', 'spam'])
    console.log(`  ${key}: ${t[key]}`);
  for (const key of ['byIntent', 'bySentiment', 'byLanguage', 'byPlatform', 'routedTo']) {
    console.log(
      `  ${key}: ${Object.entries(t[key] as Record<string, number>)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
}

async function main() {
  const { values } = parseArgs({ options: { source: { type: 'string' } }, allowPositionals: false });
  if (values.source === undefined) return genericDemo();
  const names = values.source === 'all' ? Object.keys(PLATFORM_DEMOS) : [values.source];
  const unknown = names.filter((name) => !PLATFORM_DEMOS[name]);
  if (unknown.length) {
    throw new Error(
      `no demo for source "${unknown.join('", "')}": use one of ${Object.keys(PLATFORM_DEMOS).join(', ')} or all`,
    );
  }
  return platformDemo(names, { base, dataDir });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
