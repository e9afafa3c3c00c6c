import { readFileSync } from 'node:fs';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * One local stack per data dir: two processes writing the same DynamoDB Local files and draining
 * the same queue would each think they own the leases. The lock is a file holding the owner's pid
 * (and, on Linux, its start time, so a recycled pid is not mistaken for the owner); a lock whose
 * owner is gone (a run killed with SIGKILL) is taken over, a live owner stops the newcomer.
 */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The data dir ${dataDir} is in use by another local stack (pid ${owner.pid}${
        owner.port ? `, port ${owner.port}` : ''
      }, since ${owner.startedAt}). Stop that one first (Ctrl+C in its terminal, or kill ${owner.pid}), ` +
        'or give this one its own directory with DATA_DIR=<dir>.',
    );
  }
}

export interface LockOwner {
  pid: number;
  /** /proc/<pid>/stat field 22 (clock ticks since boot) where available. */
  procStart?: string;
  host: string;
  startedAt: string;
  port?: number;
}

export interface DataDirLock {
  readonly path: string;
  /** Records the HTTP port once it is known, for the message a second start prints. */
  setPort(port: number): Promise<void>;
  release(): Promise<void>;
}

const LOCK_FILE = '.lock';

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    ...withProcStart(process.pid),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(path, me)) return held(path, me);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue; // released in between: try again
    const owner = parseOwner(text);
    if (owner && isAlive(owner)) throw new DataDirInUseError(dataDir, owner);
    await takeOverStale(path, text);
  }
  throw new Error(`could not lock ${dataDir}: another process keeps racing for it`);
}

/**
 * Written in full under a name of our own, then linked into place (link() never overwrites): a lock
 * created empty and filled afterwards would, in between, look torn, so stale, to a second starter.
 */
async function createExclusive(path: string, owner: LockOwner): Promise<boolean> {
  const temporary = `${path}.${owner.pid}.new`;
  await writeSynced(temporary, owner);
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

/**
 * Moves the stale lock aside under a name of our own, then checks that what was moved is still the
 * stale lock: if another starter replaced it in between, its (live) lock is put back with link(),
 * which never overwrites.
 */
async function takeOverStale(path: string, staleText: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await link(aside, path).catch(() => {});
  await unlink(aside).catch(() => {});
}

function held(path: string, me: LockOwner): DataDirLock {
  let owner = me;
  return {
    path,
    async setPort(port) {
      owner = { ...owner, port };
      await writeIfOurs(path, me.pid, owner);
    },
    async release() {
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text !== undefined && parseOwner(text)?.pid === me.pid) await unlink(path).catch(() => {});
    },
  };
}

async function writeIfOurs(path: string, pid: number, owner: LockOwner): Promise<void> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined || parseOwner(text)?.pid !== pid) return;
  const temporary = `${path}.${pid}.tmp`;
  await writeSynced(temporary, owner);
  await rename(temporary, path);
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' ? (parsed as LockOwner) : undefined;
  } catch {
    return undefined; // a torn or foreign file: treated as stale
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // a shared disk: never guess about another machine
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = withProcStart(owner.pid).procStart;
  return owner.procStart === undefined || now === undefined || now === owner.procStart;
}

/** The process's start time from /proc (Linux); absent elsewhere, where the pid alone is checked. */
function withProcStart(pid: number): { procStart?: string } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[19];
    return start ? { procStart: start } : {};
  } catch {
    return {};
  }
}

/** The owner record, on disk before the promise resolves (so a link or rename of it is whole). */
async function writeSynced(path: string, owner: LockOwner): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.writeFile(`${JSON.stringify(owner)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
}
