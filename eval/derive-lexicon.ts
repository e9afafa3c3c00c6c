/**
 * Lists candidate toxic words from the two MIT-licensed toxicity sources (davidson_hate_offensive,
 * mlma_fr_toxic): words seen in at least MIN_DOCS comments that lean clearly toxic. Both sources
 * were sampled with hate keywords, so the raw list is full of ordinary words ("these", "autre");
 * a person reads it and adds the real insults and slurs to shared/classify/toxicity.ts by hand.
 * Only words are printed, never a row. Run: `npx tsx eval/derive-lexicon.ts` (needs ../shared/datasets).
 *
 * Sources: Davidson et al., "Automated Hate Speech Detection and the Problem of Offensive
 * Language", ICWSM 2017 (MIT); Ousidhoum et al., "Multilingual and Multi-Aspect Hate Speech
 * Analysis", EMNLP-IJCNLP 2019 (MIT).
 */
import { join } from 'node:path';
import { fold, squeeze, tokens } from '../shared/classify/normalize.ts';
import { datasetsDir, loadRows } from './run.ts';

const MIN_DOCS = 6;
/** Share of a word's comments that must be toxic, and by how much it must beat the source's base rate. */
const MIN_SHARE = 0.9;
const MIN_LIFT = 1.12;

interface Derived {
  word: string;
  lang: string;
  weight: number;
  docs: number;
}

function derive(source: string, lang: string, stop: Set<string>): Derived[] {
  const rows = loadRows(join(datasetsDir(), `${source}.dev.jsonl`));
  const pos = new Map<string, number>();
  const all = new Map<string, number>();
  let positives = 0;
  for (const r of rows) {
    const toxic = r.label === true;
    if (toxic) positives++;
    const text = r.text.replace(/@\w+|https?:\/\/\S+|@url/g, ' ');
    for (const t of new Set(tokens(fold(text)).map(squeeze))) {
      if (t.length < 3 || stop.has(t)) continue;
      all.set(t, (all.get(t) ?? 0) + 1);
      if (toxic) pos.set(t, (pos.get(t) ?? 0) + 1);
    }
  }
  const base = positives / rows.length;
  const out: Derived[] = [];
  for (const [word, n] of all) {
    if (n < MIN_DOCS) continue;
    // Laplace-smoothed share, so a word seen 6 times in toxic comments only is not taken as certain.
    const share = ((pos.get(word) ?? 0) + 0.5) / (n + 1);
    if (share < MIN_SHARE || share / base < MIN_LIFT) continue;
    out.push({
      word,
      lang,
      weight: Math.round(Math.min(0.9, 0.5 + (share - base) * 2) * 100) / 100,
      docs: n,
    });
  }
  return out.sort((a, b) => b.docs - a.docs);
}

function main(): void {
  // Function words and topic words are not insults, however often they show up in a hateful comment.
  const stop = new Set(
    (
      'the and you that this for with are was what but have not they your just like all get got when out can its dont she her his him them who this from how why lol about one know want need make now she they their there then than been being were would could should will shit ' +
      'les des une que qui est pas pour sur dans par avec son ses mais plus tout tous fait ont sont ils elle elles nous vous leur leurs cette ces comme aux etre avoir ete tres meme aussi bien quand encore entre '
    )
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => squeeze(w)),
  );
  const words = [...derive('davidson_hate_offensive', 'en', stop), ...derive('mlma_fr_toxic', 'fr', stop)];
  for (const w of words) process.stdout.write(`${w.lang}\t${w.word}\t${w.weight}\t${w.docs}\n`);
}

main();
