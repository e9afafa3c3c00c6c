import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/service-function.ts';

/**
 * Files in shared/ that still create a bare `Error`; their owners are converting them to the classes
 * of shared/domain/errors.ts. Only ever remove entries: a file converted must leave this list, and
 * no other file may join it.
 */
const KNOWN_OFFENDERS: string[] = [];

const BARE_ERROR = /\bnew Error\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `path:line` of every bare Error created in shared/, comments aside. */
function bareErrors(): string[] {
  return sourceFiles(join(PROJECT_ROOT, 'shared')).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) => {
        const code = line.trimStart();
        if (code.startsWith('//') || code.startsWith('*')) return [];
        return BARE_ERROR.test(code) ? [`${relative(PROJECT_ROOT, file)}:${index + 1}`] : [];
      }),
  );
}

const fileOf = (site: string) => site.slice(0, site.lastIndexOf(':'));

describe('errors raised in shared/', () => {
  const sites = bareErrors();

  it('are never a bare Error outside the known offenders', () => {
    const offenders = sites.filter((site) => !KNOWN_OFFENDERS.includes(fileOf(site)));

    expect(offenders, 'throw one of the classes of shared/domain/errors.ts instead').toEqual([]);
  });

  it('leave no converted file on the list of known offenders', () => {
    const stillBare = new Set(sites.map(fileOf));

    expect(
      KNOWN_OFFENDERS.filter((file) => !stillBare.has(file)),
      'remove these from KNOWN_OFFENDERS',
    ).toEqual([]);
  });
});
