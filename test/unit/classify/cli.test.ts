import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../../shared/classify/cli.ts';

describe('classify CLI', () => {
  it('copies the id and gives the summary fields', () => {
    const out = classifyLine(
      JSON.stringify({ id: 'c1', text: 'Where is my order? Still nothing after 10 days' }),
      1,
    );

    expect(out).toMatchObject({ id: 'c1', line: 1, language: 'en', toxic: false, spam: false });
    expect('intents' in out && out.intents).toEqual(expect.arrayContaining(['question', 'complaint']));
  });

  it('answers an error line for invalid JSON or a missing text', () => {
    expect(classifyLine('{nope', 3)).toEqual({ id: null, line: 3, error: 'not valid JSON' });
    expect(classifyLine('{"id":"x"}', 4)).toEqual({ id: 'x', line: 4, error: '"text" must be a string' });
  });

  it('writes one line per input line, in order, and survives bad lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'classify-cli-'));
    const file = join(dir, 'in.jsonl');
    writeFileSync(
      file,
      ['{"id":"a","text":"Merci !"}', 'garbage', '', '{"id":"b","text":"Why?"}'].join('\n'),
    );

    const stdout = execFileSync('npx', ['tsx', 'shared/classify/cli.ts', file], { encoding: 'utf8' });

    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', null, null, 'b']);
    expect(lines[1].error).toBeDefined();
  });
});
