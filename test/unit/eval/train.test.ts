import { describe, expect, it } from 'vitest';
import type { Row, Task } from '../../../eval/data.ts';
import { parseBrandRows, train } from '../../../eval/train.ts';

/** A few synthetic rows per task, both labels, so every head has something to fit. */
function syntheticRows(): Row[] {
  const rows: Row[] = [];
  const add = (task: Task, label: boolean | string, texts: string[]) => {
    for (const text of texts)
      rows.push({
        id: `own:${task}:${rows.length}`,
        source: `own:${task}.en`,
        lang: 'en',
        text,
        task,
        label,
      });
  };
  for (const task of ['question', 'suggestion', 'complaint', 'praise', 'toxic', 'spam'] as const) {
    add(
      task,
      true,
      [1, 2, 3, 4, 5, 6].map((i) => `${task} yes number ${i} ${'z'.repeat(i)}`),
    );
    add(
      task,
      false,
      [1, 2, 3, 4, 5, 6].map((i) => `plain words here ${i} ${'y'.repeat(i)}`),
    );
  }
  for (const label of ['positive', 'neutral', 'negative'])
    add(
      'sentiment',
      label,
      [1, 2, 3, 4, 5].map((i) => `${label} comment ${i} ${'x'.repeat(i)}`),
    );
  return rows;
}

const tiny = { hashBits: 8, charMin: 0, charMax: 0 };

describe('train', () => {
  it('writes the same module twice from the same rows', () => {
    const data = { rows: syntheticRows(), files: [{ name: 'synthetic', sha256: '0'.repeat(64), rows: 1 }] };

    const first = train(data, tiny).module;
    const second = train({ rows: syntheticRows(), files: data.files }, tiny).module;

    expect(second).toBe(first);
    expect(first).toContain('"sha256": "0000');
  });

  it('fits nothing on a source whose licence keeps it from shipping', () => {
    const rows = syntheticRows();
    rows.push({
      id: 'x',
      source: 'nps_chat_question',
      lang: 'en',
      text: 'any secret question',
      task: 'question',
      label: true,
    });

    const result = train({ rows, files: [] }, tiny);

    expect(result.choices.find((c) => c.task === 'question')?.sources).toEqual(['own:question.en']);
  });
});

describe('parseBrandRows', () => {
  it('reads a brand file into rows of its own source', () => {
    const rows = parseBrandRows(
      [
        '{"text":"Le kit est-il compatible ?","task":"question","label":true,"lang":"fr"}',
        '',
        '{"text":"Toujours rien","task":"sentiment","label":"negative"}',
      ].join('\n'),
      'velo.jsonl',
    );

    expect(rows.map((r) => [r.source, r.task, r.label, r.lang])).toEqual([
      ['brand:velo.jsonl', 'question', true, 'fr'],
      ['brand:velo.jsonl', 'sentiment', 'negative', 'und'],
    ]);
  });

  it('names the line of a row that does not fit', () => {
    expect(() => parseBrandRows('{"text":"x","task":"rant","label":true}', 'b.jsonl')).toThrow(/b.jsonl:1/);
    expect(() => parseBrandRows('{"text":"x","task":"spam","label":"yes"}', 'b.jsonl')).toThrow(
      /does not fit/,
    );
  });
});
