import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../infra/local/data-dir-lock.ts';
import type { ParentGuard } from '../../infra/local/dynamodb-local.ts';
import { startLocalStack } from '../../infra/local/local-stack.ts';
import { testConfig } from '../support/builders.ts';

/**
 * DynamoDB Local's parent guard: the JVM must die with the process that started it, even when that
 * process is SIGKILLed and so cannot stop it (test/support/dynamodb-local-child.ts is that process).
 */
const CHILD = fileURLToPath(new URL('../support/dynamodb-local-child.ts', import.meta.url));
const JVM_START = 120_000;
const hasSetpriv = !spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).error;

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'dynamodb-local-guard-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface ProcessInfo {
  pid: number;
  command: string;
  state: string;
}

/** Every process in a process group, from /proc (DynamoDB Local runs in a group of its own). */
function groupMembers(pgid: number): ProcessInfo[] {
  const members: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [state = '', , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid) members.push({ pid: Number(entry), command, state });
  }
  return members;
}

/** Gone, or a zombie: it holds no memory, port or file, only an entry for its new parent to reap. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw error;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

/** Polls for a condition, up to a bound: the assertion is on the outcome, not on how long it took. */
async function eventually(condition: () => boolean, { within = 15_000, every = 100 } = {}): Promise<boolean> {
  const deadline = Date.now() + within;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  return true;
}

/** Starts the child parent process and resolves with what it printed once DynamoDB Local answered. */
async function startParent(guard: ParentGuard) {
  const parent: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, guard, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
  let stderr = '';
  parent.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  const started = await new Promise<{ pid: number; endpoint: string }>((resolve, reject) => {
    createInterface({ input: parent.stdout as NodeJS.ReadableStream }).once('line', (line) =>
      resolve(JSON.parse(line)),
    );
    parent.once('exit', (code) => reject(new Error(`the parent exited (${code}) first: ${stderr}`)));
  });
  return { parent, exited, ...started };
}

/** Starts DynamoDB Local under a parent, SIGKILLs the parent, and expects the JVM's group to follow. */
async function expectToDieWithItsParent(guard: ParentGuard): Promise<void> {
  const { parent, exited, pid } = await startParent(guard);
  const members = groupMembers(pid);
  try {
    expect(members.map((m) => m.command)).toContain('java');

    parent.kill('SIGKILL');
    await exited;
    const allGone = await eventually(() => members.every((m) => isGone(m.pid)));

    expect(allGone, `still running: ${JSON.stringify(groupMembers(pid))}`).toBe(true);
  } finally {
    parent.kill('SIGKILL');
    try {
      process.kill(-pid, 'SIGKILL'); // never leave a JVM behind, whatever the outcome
    } catch {
      // already gone
    }
  }
}

describe.skipIf(!existsSync('/proc'))('DynamoDB Local whose parent is SIGKILLed', () => {
  it.skipIf(!hasSetpriv)(
    'dies with its parent when guarded by pdeathsig',
    () => expectToDieWithItsParent('pdeathsig'),
    JVM_START,
  );

  it(
    'dies with its parent when guarded by the watchdog',
    () => expectToDieWithItsParent('watchdog'),
    JVM_START,
  );
});

describe('a second local stack on a data dir that is in use', () => {
  it('is refused with DataDirInUseError before it starts DynamoDB Local on the same files', async () => {
    const first = await lockDataDir(dataDir);
    try {
      const second = startLocalStack({ config: testConfig(), dataDir });

      await expect(second).rejects.toThrow(DataDirInUseError);
      expect(await readdir(dataDir)).toEqual(['.lock']);
    } finally {
      await first.release();
    }
  });
});
