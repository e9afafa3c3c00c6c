import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../eval/run.ts';

const files = loadCorpus();
const SENTIMENTS = new Set(['positive', 'negative', 'neutral']);

describe('our own labelled examples (eval/corpus)', () => {
  it('has sentiment in English and French, offensive language, chat questions and complaints', () => {
    const kinds = new Set(files.map((rows) => `${rows[0]?.task}.${rows[0]?.lang}`));
    expect(kinds).toEqual(
      new Set(['sentiment.en', 'sentiment.fr', 'toxic.en', 'question.en', 'complaint.en']),
    );
  });

  it.each(files.map((rows) => [rows[0]?.source, rows] as const))(
    '%s has a valid label on every line',
    (_, rows) => {
      for (const row of rows) {
        expect(row.text.trim().length).toBeGreaterThan(0);
        if (row.task === 'sentiment') expect(SENTIMENTS.has(String(row.label))).toBe(true);
        else expect(typeof row.label).toBe('boolean');
      }
    },
  );

  it('holds no text twice', () => {
    const seen = new Set<string>();
    const repeats: string[] = [];
    for (const rows of files)
      for (const row of rows) {
        const key = `${row.task}|${row.text.toLowerCase()}`;
        if (seen.has(key)) repeats.push(row.id);
        seen.add(key);
      }
    expect(repeats).toEqual([]);
  });
});
