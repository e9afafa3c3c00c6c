/**
 * Lists candidate toxic words from the two MIT-licensed toxicity sources (davidson_hate_offensive,
 * mlma_fr_toxic): words seen in at least MIN_DOCS comments that lean clearly toxic. Both sources
 * were sampled with hate keywords, so the raw list is full of ordinary words; a person reads it and
 * adds the real insults and slurs to shared/classify/lexicons/toxic.txt by hand. Only words are
 * printed, never a row. Run: `npx tsx eval/derive-lexicon.ts` (needs ../shared/datasets).
 *
 * Sources: Davidson et al., "Automated Hate Speech Detection and the Problem of Offensive
 * Language", ICWSM 2017 (MIT); Ousidhoum et al., "Multilingual and Multi-Aspect Hate Speech
 * Analysis", EMNLP-IJCNLP 2019 (MIT).
 */
import { squeeze } from '../shared/classify/lexicon.ts';
import { readLexiconFile } from '../shared/classify/lexicon-files.ts';
import { foldedWords } from '../shared/classify/tokenize.ts';
import { loadExternal } from './data.ts';

const MIN_DOCS = 6;
/** Share of a word's comments that must be toxic, and by how much it must beat the source's base rate. */
const MIN_SHARE = 0.9;
const MIN_LIFT = 1.12;
/** Words this short are function words or abbreviations, never a useful entry. */
const MIN_LENGTH = 3;

function derive(source: string, lang: string, stop: Set<string>): string[] {
  const rows = loadExternal().rows.filter((r) => r.source === source);
  const pos = new Map<string, number>();
  const all = new Map<string, number>();
  let positives = 0;
  for (const r of rows) {
    const toxic = r.label === true;
    if (toxic) positives++;
    for (const t of new Set(foldedWords(r.text).map(squeeze))) {
      if (t.length < MIN_LENGTH || stop.has(t)) continue;
      all.set(t, (all.get(t) ?? 0) + 1);
      if (toxic) pos.set(t, (pos.get(t) ?? 0) + 1);
    }
  }
  const base = positives / rows.length;
  const out: Array<[string, number]> = [];
  for (const [word, n] of all) {
    if (n < MIN_DOCS) continue;
    // Laplace-smoothed share, so a word seen 6 times in toxic comments only is not taken as certain.
    const share = ((pos.get(word) ?? 0) + 0.5) / (n + 1);
    if (share >= MIN_SHARE && share / base >= MIN_LIFT) out.push([word, n]);
  }
  return out.sort((a, b) => b[1] - a[1]).map(([w, n]) => `${lang}\t${w}\t${n}`);
}

// Function words are not insults, however often they show up in a hateful comment.
const stop = new Set(readLexiconFile('function-words').rows.map((r) => squeeze(r[2] ?? '')));
for (const line of [...derive('davidson_hate_offensive', 'en', stop), ...derive('mlma_fr_toxic', 'fr', stop)])
  process.stdout.write(`${line}\n`);
