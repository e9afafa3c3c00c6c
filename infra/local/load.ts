import './quiet-env.ts';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../../shared/config/load.ts';
import { addDays, localDay } from '../../shared/domain/calendar.ts';
import { signGenericRequest } from '../../shared/platforms/generic.ts';

/**
 * `npm run load`: the durability check of the local runtime, as a user would run it. Starts
 * `npm start` on a fresh data dir (loopback only), sends signed comments through the generic
 * webhook at a fixed concurrency, kills the whole process group with SIGKILL several times while
 * comments are being acknowledged and processed, restarts on the same data dir each time and
 * resends what was never acknowledged (as any webhook sender retries). At the end every comment
 * must be counted exactly once, and no process of a killed run may be left. Prints a table; exits
 * 1 when a comment is lost or doubled or a process is left behind.
 *
 *   npm run load -- --comments 1200 --concurrency 16 --kills 3
 */
const { values: args } = parseArgs({
  options: {
    comments: { type: 'string', default: '1200' },
    concurrency: { type: 'string', default: '16' },
    kills: { type: 'string', default: '3' },
    'data-dir': { type: 'string' },
    /** How long to wait for the counts to settle after the last comment is acknowledged. */
    'settle-seconds': { type: 'string', default: '120' },
  },
});
const TOTAL = Number(args.comments);
const CONCURRENCY = Number(args.concurrency);
const KILLS = Number(args.kills);
const SETTLE_MS = Number(args['settle-seconds']) * 1000;
const SOURCE = 'generic';
const SECRET = `dev-secret-${SOURCE}`;
const TEXTS = [
  'Bonjour, pourquoi ma commande n’est toujours pas arrivée ?',
  'Super vélo, merci à toute l’équipe !',
  'Il faudrait une option pour choisir la couleur du cadre.',
  'How do I reset the display after changing the battery?',
  'The brake lever broke after two weeks, really disappointed.',
  'Any plans for a cargo version next year?',
];

interface Run {
  child: ChildProcess;
  exited: Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `npm start` in a process group of its own, so that the whole group can be killed at once. */
function startStack(port: number, dataDir: string, log: string): Run {
  const child = spawn('npm', ['start'], {
    detached: true,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = createWriteStream(log, { flags: 'a' });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { child, exited };
}

async function waitUntilUp(base: string, run: Run, log: string) {
  let gone = false;
  void run.exited.then(() => {
    gone = true;
  });
  for (let i = 0; i < 1200; i++) {
    if (gone) throw new LoadError(`npm start exited before it answered; see ${log}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await pause(100);
  }
  throw new LoadError(`npm start did not answer within 120 s; see ${log}`);
}

/** Every process still alive in a process group, or still holding the data dir. */
function survivors(group: number, dataDir: string): string[] {
  const table = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .filter((line) => {
      const [pid, pgid] = line.split(/\s+/);
      return pid !== String(process.pid) && (pgid === String(group) || line.includes(dataDir));
    });
}

async function killGroup(run: Run, signal: NodeJS.Signals) {
  const group = run.child.pid as number;
  try {
    process.kill(-group, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
  await run.exited;
  return group;
}

/** Waits for the group's last processes (a JVM takes a moment to be reaped); answers the ones left. */
async function leftOver(group: number, dataDir: string): Promise<string[]> {
  let left = survivors(group, dataDir);
  for (let i = 0; i < 50 && left.length; i++) {
    await pause(100);
    left = survivors(group, dataDir);
  }
  return left;
}

function pause(ms: number) {
  return new Promise((done) => setTimeout(done, ms));
}

class LoadError extends Error {
  override name = 'LoadError';
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main() {
  const config = loadConfigFile();
  const source = config.sources.find((s) => s.id === SOURCE);
  const community = config.communities.find((c) => c.id === source?.community);
  if (!community) throw new LoadError(`the configuration has no "${SOURCE}" source with a community`);

  const dataDir = resolve(args['data-dir'] ?? (await mkdtemp(join(tmpdir(), 'autopilot-load-'))));
  const log = join(dataDir, '..', `${dataDir.split('/').pop()}.log`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const now = Date.now();
  const comments = Array.from({ length: TOTAL }, (_, i) => ({
    id: `load-${now}-${i}`,
    threadId: `load-${now}-${i}`,
    author: { id: `load-member-${i % 97}`, name: `Member ${i % 97}` },
    text: TEXTS[i % TEXTS.length] as string,
    createdAt: new Date(now - (TOTAL - i) * 10).toISOString(),
  }));

  const pending = comments.map((_, i) => i).reverse();
  const acked = new Set<number>();
  const latencies: number[] = [];
  const killAt = Array.from({ length: KILLS }, (_, k) => Math.floor((TOTAL * (k + 1)) / (KILLS + 1)));
  const left: string[] = [];
  const restarts: number[] = [];
  let rejected = 0;

  console.log(
    `load: ${TOTAL} comments at concurrency ${CONCURRENCY}, ${KILLS} × kill -9; data dir ${dataDir}`,
  );
  for (let phase = 0; phase <= KILLS; phase++) {
    const started = performance.now();
    const run = startStack(port, dataDir, log);
    await waitUntilUp(base, run, log);
    if (phase > 0) restarts.push(performance.now() - started);
    const stopAt = killAt[phase] ?? Number.POSITIVE_INFINITY;
    let killing: Promise<number> | undefined;

    const worker = async () => {
      while (!killing) {
        const index = pending.pop();
        if (index === undefined) return;
        const body = JSON.stringify({ comments: [comments[index]] });
        const sent = performance.now();
        try {
          const answer = await fetch(`${base}/webhooks/${SOURCE}`, {
            method: 'POST',
            body,
            headers: signGenericRequest(SECRET, body),
          });
          await answer.text();
          if (answer.status === 202) {
            acked.add(index);
            latencies.push(performance.now() - sent);
          } else {
            rejected++;
            pending.unshift(index);
          }
        } catch {
          pending.unshift(index); // the connection died with the process: send it again later
        }
        if (acked.size >= stopAt && !killing) killing = killGroup(run, 'SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    if (killing) {
      const group = await killing;
      left.push(...(await leftOver(group, dataDir)));
      console.log(`  kill -9 #${phase + 1} after ${acked.size} acknowledged`);
      continue;
    }

    // Everything is acknowledged: wait until every comment is counted (or the count stops moving).
    const today = localDay(new Date(now), community.timezone);
    const kpiUrl = `${base}/kpis?community=${community.id}&from=${addDays(today, -1)}&to=${addDays(today, 1)}`;
    let counted = -1;
    const settleStarted = performance.now();
    while (performance.now() - settleStarted < SETTLE_MS) {
      await fetch(`${base}/local/idle`);
      counted = ((await (await fetch(kpiUrl)).json()) as { totals: { comments: number } }).totals.comments;
      if (counted >= TOTAL) break;
      await pause(500);
    }
    await fetch(`${base}/local/idle`);
    counted = ((await (await fetch(kpiUrl)).json()) as { totals: { comments: number } }).totals.comments;
    const settleSeconds = (performance.now() - settleStarted) / 1000;

    const notified = await notificationCounts(dataDir, new Set(comments.map((c) => `${SOURCE}:${c.id}`)));
    const group = await killGroup(run, 'SIGTERM');
    left.push(...(await leftOver(group, dataDir)));
    if (!args['data-dir']) await rm(dataDir, { recursive: true, force: true });

    const sorted = [...latencies].sort((a, b) => a - b);
    const ok = acked.size === TOTAL && counted === TOTAL && left.length === 0;
    const rows: [string, string][] = [
      ['comments sent (distinct)', String(TOTAL)],
      ['acknowledged 202', String(acked.size)],
      ['counted in the KPIs (must equal the acknowledged)', String(counted)],
      ['lost', String(Math.max(0, acked.size - counted))],
      ['counted twice', String(Math.max(0, counted - acked.size))],
      ['kill -9 of the process group', String(KILLS)],
      ['processes left from killed or stopped runs', String(left.length)],
      [
        'routed notifications: distinct ids / delivered (duplicates: crash window)',
        `${notified.distinct} / ${notified.lines}`,
      ],
      [
        'ack latency p50 / p99 (ms)',
        `${percentile(sorted, 50).toFixed(1)} / ${percentile(sorted, 99).toFixed(1)}`,
      ],
      [
        'restart until answering, mean (s)',
        (restarts.reduce((a, b) => a + b, 0) / (restarts.length || 1) / 1000).toFixed(1),
      ],
      ['time to count the backlog after the last ack (s)', settleSeconds.toFixed(1)],
      ['non-202 answers (resent)', String(rejected)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log('');
    for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
    for (const line of left) console.log(`left behind: ${line}`);
    console.log(ok ? '\nOK: every acknowledged comment counted exactly once' : `\nFAILED (log: ${log})`);
    process.exit(ok ? 0 : 1);
  }
}

/** Routed-comment notifications the local subscriber wrote for these comments: distinct ids, and lines. */
async function notificationCounts(dataDir: string, commentIds: Set<string>) {
  const text = await readFile(join(dataDir, 'notifications.jsonl'), 'utf8').catch(() => '');
  const seen = new Set<string>();
  let lines = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const message = (JSON.parse(line) as { message?: { id?: string; comment?: { id?: string } } }).message;
    if (message?.id && commentIds.has(message.comment?.id ?? '')) {
      lines++;
      seen.add(message.id);
    }
  }
  return { distinct: seen.size, lines };
}

main().catch((error) => {
  console.error(error instanceof LoadError ? error.message : error);
  process.exit(1);
});
