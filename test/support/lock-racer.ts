import { createInterface } from 'node:readline';
import { DataDirInUseError, type DataDirLock, lockDataDir } from '../../infra/local/data-dir-lock.ts';

/**
 * A local-stack starter in a process of its own, for the data-dir lock's tests: each stdin line
 * `lock <dir>` or `release` is answered with one stdout line (`locked`, `in-use`, `released`,
 * `error <message>`). It prints `ready` once it can take commands.
 */
let held: DataDirLock | undefined;
const answer = (line: string) => process.stdout.write(`${line}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.startsWith('lock ')) {
    lockDataDir(line.slice('lock '.length)).then(
      (lock) => {
        held = lock;
        answer('locked');
      },
      (error: Error) => answer(error instanceof DataDirInUseError ? 'in-use' : `error ${error.message}`),
    );
  } else if (line === 'release') {
    const lock = held;
    held = undefined;
    (lock ? lock.release() : Promise.resolve()).then(() => answer('released'));
  }
});
answer('ready');
