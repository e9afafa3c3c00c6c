import { describe, expect, it } from 'vitest';
import { loadOwnExamples } from '../../../eval/data.ts';

const { rows } = loadOwnExamples();
const sources = [...new Set(rows.map((r) => r.source))].sort();
const SENTIMENTS = new Set(['positive', 'negative', 'neutral']);

describe('our own labelled examples (eval/corpus)', () => {
  it('covers every task in English and in French (praise aside: it has no examples of its own yet)', () => {
    expect(sources).toEqual([
      'own:complaint.en',
      'own:complaint.fr',
      'own:question.en',
      'own:question.fr',
      'own:sentiment.en',
      'own:sentiment.fr',
      'own:spam.en',
      'own:spam.fr',
      'own:suggestion.en',
      'own:suggestion.fr',
      'own:toxic.en',
      'own:toxic.fr',
    ]);
  });

  it.each(sources)('%s has a valid label on every line and both classes', (source) => {
    const mine = rows.filter((r) => r.source === source);
    for (const row of mine) {
      expect(row.text.trim().length).toBeGreaterThan(0);
      if (row.task === 'sentiment') expect(SENTIMENTS.has(String(row.label))).toBe(true);
      else expect(typeof row.label).toBe('boolean');
    }
    expect(new Set(mine.map((r) => String(r.label))).size).toBeGreaterThan(1);
  });

  it('holds no text twice for one task', () => {
    const seen = new Set<string>();
    const repeats: string[] = [];
    for (const row of rows) {
      const key = `${row.task}|${row.text.toLowerCase()}`;
      if (seen.has(key)) repeats.push(row.id);
      seen.add(key);
    }
    expect(repeats).toEqual([]);
  });
});
