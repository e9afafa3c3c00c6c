import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/service-function.ts';

/** The in-memory stores and the other fakes of test/support are for tests: no production code imports them. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('test code', () => {
  it('is imported by nothing in shared/, functions/ or infra/', () => {
    const importing = ['shared', 'functions', 'infra']
      .flatMap((dir) => sourceFiles(join(PROJECT_ROOT, dir)))
      .filter((file) => /from '[^']*\/test\/|from '#test\//.test(readFileSync(file, 'utf8')))
      .map((file) => relative(PROJECT_ROOT, file));
    expect(importing).toEqual([]);
  });

  it('leaves no in-memory store in shared/', () => {
    const memory = sourceFiles(join(PROJECT_ROOT, 'shared'))
      .filter((file) => /class Memory\w*Store\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(PROJECT_ROOT, file));
    expect(memory).toEqual([]);
  });
});
