import './quiet-env.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../../shared/config/load.ts';
import { addDays, localDay } from '../../shared/domain/calendar.ts';
import type { Kpis } from '../../shared/domain/kpi.ts';
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
    throw new Error(
      `nothing answers on ${base}: start the local stack first with \`npm start\` (if it runs on another port, set PORT here too)`,
    );
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

  // What a person can check by hand: every brand reply in the input, and how long its member waited.
  console.log('\nBrand replies in the demo input (first response times):');
  for (const c of DEMO_COMMENTS.filter((d) => d.replyTo)) {
    const asked = byId.get(c.replyTo as string);
    if (asked) console.log(`  ${asked.id} (${asked.author}) ← ${c.id} after ${asked.ago - c.ago} min`);
  }

  const escalations = (await (await fetch(`${base}/local/watch-sla`, { method: 'POST' })).json()) as {
    escalated: { commentId: string; level: number; team: string }[];
  }[];
  await fetch(`${base}/local/idle`);
  const escalated = escalations.flatMap((r) => r.escalated);
  console.log(
    `\nSLA watch (${community.slaMinutes} min; runs every minute under npm start): ${escalated.length} escalations now` +
      (escalated.length ? '' : ' (items already escalated by an earlier run are never escalated again)'),
  );
  for (const e of escalated) console.log(`  ${e.commentId} → ${e.team} (level ${e.level})`);

  const open = (await (await fetch(`${base}/threads/open?community=${community.id}`)).json()) as {
    open: {
      commentId: string;
      waitingMinutes: number;
      overdue: boolean;
      escalationLevel: number;
      excerpt?: string;
    }[];
  };
  console.log(`\nStill waiting for a brand reply (GET /threads/open): ${open.open.length}`);
  for (const o of open.open.slice(0, 8)) {
    console.log(
      `  ${o.commentId} waiting ${o.waitingMinutes} min${o.overdue ? ', overdue' : ''}, level ${o.escalationLevel}: ${o.excerpt?.slice(0, 60) ?? ''}`,
    );
  }
  if (open.open.length > 8) console.log(`  … and ${open.open.length - 8} more`);

  const today = localDay(new Date(), community.timezone);
  const from = addDays(today, -1);
  const kpiUrl = `${base}/kpis?community=${community.id}&from=${from}&to=${today}`;
  const { totals } = (await (await fetch(kpiUrl)).json()) as { totals: Kpis };
  const list = (values: Record<string, number>) =>
    Object.entries(values)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  console.log(`\nKPI totals, ${from} to ${today} (GET ${kpiUrl}):`);
  console.log(
    `  comments ${totals.comments}: members ${totals.memberComments}, brand replies ${totals.brandReplies}`,
  );
  console.log(`  toxic ${totals.toxic}, spam ${totals.spam}`);
  console.log(`  byIntent: ${list(totals.byIntent)}`);
  console.log(`  bySentiment: ${list(totals.bySentiment)}`);
  console.log(`  byLanguage: ${list(totals.byLanguage)}`);
  console.log(`  routedTo: ${list(totals.routedTo)}`);
  console.log(
    `  items needing a reply ${totals.needsReply}, answered ${totals.answered} (${totals.answeredWithinSla} within the SLA), escalated ${totals.escalated}`,
  );
  const frt = totals.firstResponse;
  const minutes = (s: number | null) => (s === null ? '—' : `${(s / 60).toFixed(1)} min`);
  console.log(
    `  first response: median ${minutes(frt.p50Seconds)}, p90 ${minutes(frt.p90Seconds)}, mean ${minutes(frt.meanSeconds)} over ${frt.count} items`,
  );
  console.log(
    `  active members (1/7/30 days): ${totals.activeMembers.d1}/${totals.activeMembers.d7}/${totals.activeMembers.d30}, first-time posters ${totals.firstTimePosters}`,
  );

  const top = (await (await fetch(`${base}/members/top?community=${community.id}&days=7`)).json()) as {
    topContributors: { name: string; comments: number; answersGiven: number }[];
  };
  console.log(
    `\nTop contributors, 7 days (GET /members/top): ${top.topContributors
      .slice(0, 5)
      .map((m) => `${m.name} (${m.comments})`)
      .join(', ')}`,
  );
  console.log(
    `\nThe digests of this demo: \`npm run digest -- --date ${today}\` and \`npm run digest -- --weekly --date ${today}\``,
  );
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
