import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../../infra/local/data-dir-lock.ts';

const RACER = fileURLToPath(new URL('../../support/lock-racer.ts', import.meta.url));
let racerBundle: Promise<{ dir: string; script: string }> | undefined;

/** The racer bundled once into plain JS: eight `node --import tsx` starts take seconds on a busy machine. */
function racerScript(): Promise<string> {
  racerBundle ??= mkdtemp(join(tmpdir(), 'lock-racer-')).then(async (bundleDir) => {
    const script = join(bundleDir, 'lock-racer.mjs');
    await build({ entryPoints: [RACER], bundle: true, platform: 'node', format: 'esm', outfile: script });
    return { dir: bundleDir, script };
  });
  return racerBundle.then(({ script }) => script);
}

afterAll(async () => {
  if (racerBundle) await rm((await racerBundle).dir, { recursive: true, force: true });
});

let dir: string;
const lockFile = () => join(dir, '.lock');
const ownerInFile = async () => JSON.parse(await readFile(lockFile(), 'utf8')) as { pid: number };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'data-dir-lock-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pid that certainly belongs to no process: a child that has exited and been waited for. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['--version']);
  expect(child.status).toBe(0);
  return child.pid;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the lock was granted'),
    (error: unknown) => error,
  );
}

/** Starters in processes of their own (test/support/lock-racer.ts), driven line by line. */
class Racer {
  private readonly lines: string[] = [];
  private readonly waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  private gone = false;
  readonly exited: Promise<void>;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(line);
      else this.lines.push(line);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        this.gone = true;
        for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('the racer exited'));
        resolve();
      }),
    );
  }

  static async start(): Promise<Racer> {
    const racer = new Racer(spawn(process.execPath, [await racerScript()], { stdio: 'pipe' }));
    expect(await racer.next()).toBe('ready');
    return racer;
  }

  send(command: string): void {
    this.child.stdin.write(`${command}\n`);
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.gone) return Promise.reject(new Error('the racer exited'));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

describe('lockDataDir', () => {
  it('locks a free data dir and writes its owner into the lock file', async () => {
    const lock = await lockDataDir(dir);

    expect(lock.path).toBe(lockFile());
    expect(await ownerInFile()).toMatchObject({ pid: process.pid, host: hostname() });
  });

  it('refuses a second lock while the first is held, naming the dir, the owner and the ways out', async () => {
    await lockDataDir(dir);

    const error = await rejection(lockDataDir(dir));

    expect(error).toBeInstanceOf(DataDirInUseError);
    expect(error).toMatchObject({ dataDir: dir, owner: { pid: process.pid } });
    const { message } = error as DataDirInUseError;
    expect(message).toContain(dir);
    expect(message).toContain(`pid ${process.pid}`);
    expect(message).toContain(`kill ${process.pid}`);
    expect(message).toContain('DATA_DIR=<dir>');
  });

  it("names the owner's port in the refusal once the owner has recorded it", async () => {
    const lock = await lockDataDir(dir);
    await lock.setPort(4321);

    const error = await rejection(lockDataDir(dir));

    expect((error as DataDirInUseError).message).toContain(`pid ${process.pid}, port 4321`);
  });

  it('locks the dir again once the lock is released', async () => {
    const first = await lockDataDir(dir);
    await first.release();

    const second = await lockDataDir(dir);

    expect(second.path).toBe(lockFile());
    expect(await ownerInFile()).toMatchObject({ pid: process.pid });
  });

  it('leaves the lock in place on release when another process has taken it over', async () => {
    const lock = await lockDataDir(dir);
    const other = `${JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: 'then' })}\n`;
    await writeFile(lockFile(), other);

    await lock.release();

    expect(await readFile(lockFile(), 'utf8')).toBe(other);
  });

  it('takes over a lock left by a process that is dead', async () => {
    const pid = deadPid();
    await writeFile(lockFile(), JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z' }));

    const lock = await lockDataDir(dir);

    expect(lock.path).toBe(lockFile());
    expect(await ownerInFile()).toMatchObject({ pid: process.pid });
    expect(await readdir(dir)).toEqual(['.lock']);
  });

  it.each([
    ['garbage', 'not json at all'],
    ['an empty file', ''],
    ['a torn write', '{"pid":12'],
    ['a pid that is not a number', '{"pid":"12","host":"here"}'],
    ['no pid', '{"host":"here"}'],
  ])('treats a lock file holding %s as stale and takes it over', async (_, content) => {
    await writeFile(lockFile(), content);

    await lockDataDir(dir);

    expect(await ownerInFile()).toMatchObject({ pid: process.pid });
  });

  it('treats a lock from another host as in use, even if its pid is dead here', async () => {
    const owner = { pid: deadPid(), host: `not-${hostname()}`, startedAt: '2026-01-01T00:00:00Z' };
    await writeFile(lockFile(), JSON.stringify(owner));

    const error = await rejection(lockDataDir(dir));

    expect(error).toBeInstanceOf(DataDirInUseError);
    expect(error).toMatchObject({ owner });
  });

  it.skipIf(!existsSync('/proc/self/stat'))(
    'takes over a lock whose pid now belongs to a process started later (a recycled pid)',
    async () => {
      const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      try {
        const recycled = { pid: stranger.pid, procStart: '1', host: hostname(), startedAt: 'long ago' };
        await writeFile(lockFile(), JSON.stringify(recycled));

        await lockDataDir(dir);

        expect(await ownerInFile()).toMatchObject({ pid: process.pid });
      } finally {
        stranger.kill('SIGKILL');
      }
    },
  );

  it('refuses a lock held by another live process, and takes it over once that process is killed', async () => {
    const other = await Racer.start();
    try {
      other.send(`lock ${dir}`);
      expect(await other.next()).toBe('locked');

      const whileAlive = await rejection(lockDataDir(dir));
      await other.kill();
      const afterKill = await lockDataDir(dir);

      expect(whileAlive).toBeInstanceOf(DataDirInUseError);
      expect(whileAlive).toMatchObject({ owner: { pid: other.child.pid } });
      expect(afterKill.path).toBe(lockFile());
      expect(await ownerInFile()).toMatchObject({ pid: process.pid });
    } finally {
      await other.kill();
    }
  });

  it('gives a free dir to exactly one of many starters that race for it', async () => {
    // A lock created empty and filled afterwards once let a second starter take it as stale.
    const racers = await Promise.all(Array.from({ length: 8 }, () => Racer.start()));
    try {
      for (let round = 0; round < 50; round++) {
        const raced = await mkdtemp(join(tmpdir(), 'data-dir-lock-race-'));
        for (const racer of racers) racer.send(`lock ${raced}`);
        const answers = await Promise.all(racers.map((racer) => racer.next()));
        for (const racer of racers) racer.send('release');
        const released = await Promise.all(racers.map((racer) => racer.next()));
        await rm(raced, { recursive: true, force: true });

        expect({ round, answers: [...answers].sort() }).toEqual({
          round,
          answers: ['in-use', 'in-use', 'in-use', 'in-use', 'in-use', 'in-use', 'in-use', 'locked'],
        });
        expect(released).toEqual(Array(8).fill('released'));
      }
    } finally {
      await Promise.all(racers.map((racer) => racer.kill()));
    }
  });
});
