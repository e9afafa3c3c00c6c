import { stripAccents, stripNoise } from './normalize.ts';

export interface LanguageGuess {
  /** ISO 639-1, or `und`. */
  language: string;
  confidence: number;
}

/**
 * Function words per language: short comments are mostly function words, which is why a small
 * list tells French from English better than letter statistics do on five-word texts.
 */
const STOPWORDS: Record<string, string[]> = {
  en: 'the a an and or but is are was were be been am i you he she it we they me my your our their this that these those what who why how when where which do does did not no yes to of in on at for with from by have has had will would can could should just so if there here all very too get got im dont cant its thanks thank please love good great go going gone come came see saw know knew think thought make made take took want need like look looking day today time year people man woman guy girl boy life world new old good bad best better more most some any every one two first last still even only also really much many way back now then than after before out up down over about into again never always something nothing everything anyone someone why whats thats youre theyre ive ill id isnt wasnt doesnt didnt wont cant couldnt shouldnt lol omg lmao yeah yes hey hi hello okay ok u ur pls plz thx check order account service help please sure tea game week night happy birthday tomorrow tonight watch video song love shit fuck bitch ass gonna wanna gotta aint being should would could might must let lets said says tell told give gave work working call called right left'.split(
    ' ',
  ),
  fr: 'le la les un une des du de et ou mais est sont etait suis es je tu il elle on nous vous ils elles me mon ma mes ton ta tes son sa ses notre votre leur ce cet cette ces qui que quoi pourquoi comment quand ou pas ne plus tres trop avec pour par sur dans chez au aux y en a ai avez avons ont fait c j l d n s qu merci bonjour oui non bien tout rien cest jai avec aussi alors donc encore toujours jamais rien personne chose fois jour jours an ans annee monde gens homme femme faut faire fais dit dire voir vu va vais vont aller peut peux veut veux etre avoir ete sera serait quand meme comme cela ca ici la bas deja apres avant depuis pendant entre contre sans sous vers leurs nos vos mes tes ses cest sont etaient avait avaient eux lui elle nous vous moi toi quoi ya ptdr mdr lol stp svp bonsoir salut trop vraiment juste tous toutes tout autre autres sera aussi ces cette notre votre leur pourquoi comment parce car ni soit chez dont lequel laquelle faut veulent doit doivent francais france pays mec meuf petit grand bon nouveau nouvelle enfin voila voici'.split(
    ' ',
  ),
  es: 'el la los las un una unos y o pero es son era soy eres yo tu el ella nosotros ellos mi mis su sus que quien por porque como cuando donde no si muy con para en de del al lo le se me te esta este esto eso hay gracias hola bien todo nada pues tambien'.split(
    ' ',
  ),
  de: 'der die das ein eine und oder aber ist sind war bin du er sie es wir ihr ich mich mir mein dein sein unser nicht kein ja nein zu von mit fur auf im in an bei aus wie was warum wann wo wer welche auch noch schon sehr danke bitte gut hallo doch dass den dem des'.split(
    ' ',
  ),
  it: 'il lo la gli le un una e o ma sono era io tu lui lei noi voi loro mi mio tuo suo che chi perche come quando dove non si molto con per in di da del della al su grazie ciao bene tutto niente anche questo quello ho hai'.split(
    ' ',
  ),
  pt: 'o a os as um uma e ou mas sou era eu tu ele ela nos eles meu minha seu sua que quem porque como quando onde nao sim muito com para em de do da no na ao obrigado obrigada ola bem tudo nada tambem isso esse voce'.split(
    ' ',
  ),
  nl: 'de het een en of maar is zijn was ben ik jij je hij zij wij mijn jouw zijn onze niet geen ja nee te van met voor op in aan bij uit hoe wat waarom wanneer waar wie welke ook nog al heel dank bedankt goed hallo dat die deze'.split(
    ' ',
  ),
};

const LANGS = Object.keys(STOPWORDS);
const WEIGHTS = new Map<string, Map<string, number>>();
for (const lang of LANGS) {
  for (const w of STOPWORDS[lang] ?? []) {
    let m = WEIGHTS.get(w);
    if (!m) {
      m = new Map();
      WEIGHTS.set(w, m);
    }
    m.set(lang, 1);
  }
}
// Words shared by several languages say less than words that belong to one.
for (const m of WEIGHTS.values()) {
  const share = 1 / m.size;
  for (const lang of m.keys()) m.set(lang, share);
}

/** Letters that belong to one language more than the others. */
const MARKS: Array<[RegExp, string, number]> = [
  [/[àâçèêëîïôûùœ]/g, 'fr', 1.5],
  [/[ñ¿¡]/g, 'es', 2],
  [/[äöüß]/g, 'de', 2],
  [/[ãõ]/g, 'pt', 2],
];

export function detectLanguage(text: string, hint?: string): LanguageGuess {
  const clean = stripNoise(text).toLowerCase();
  const letters = clean.match(/\p{L}/gu)?.length ?? 0;
  if (letters < 2) return { language: hint ?? 'und', confidence: hint ? 0.5 : 0 };
  const script = scriptLanguage(clean, letters);
  if (script) return script;
  const scores = new Map<string, number>();
  const words = stripAccents(clean).split(/[^\p{L}]+/u);
  for (const w of words) {
    const m = WEIGHTS.get(w);
    if (!m) continue;
    for (const [lang, s] of m) scores.set(lang, (scores.get(lang) ?? 0) + s);
  }
  for (const [re, lang, s] of MARKS) {
    const n = clean.match(re)?.length ?? 0;
    if (n) scores.set(lang, (scores.get(lang) ?? 0) + s * Math.min(n, 3));
  }
  if (hint) scores.set(hint, (scores.get(hint) ?? 0) + 0.75);
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const best = ranked[0];
  if (!best || best[1] <= 0) return { language: hint ?? 'und', confidence: hint ? 0.4 : 0 };
  const second = ranked[1]?.[1] ?? 0;
  const margin = (best[1] - second) / (best[1] + 1);
  return { language: best[0], confidence: Math.min(0.99, 0.35 + margin * 0.7) };
}

function scriptLanguage(text: string, letters: number): LanguageGuess | undefined {
  const checks: Array<[RegExp, string]> = [
    [/[\u0600-\u06ff]/g, 'ar'],
    [/[\u0400-\u04ff]/g, 'ru'],
    [/[\u3040-\u30ff]/g, 'ja'],
    [/[\u4e00-\u9fff]/g, 'zh'],
    [/[\uac00-\ud7af]/g, 'ko'],
    [/[\u0590-\u05ff]/g, 'he'],
    [/[\u0e00-\u0e7f]/g, 'th'],
    [/[\u0900-\u097f]/g, 'hi'],
    [/[\u0370-\u03ff]/g, 'el'],
  ];
  for (const [re, lang] of checks) {
    const n = text.match(re)?.length ?? 0;
    if (n / letters > 0.5) return { language: lang, confidence: 0.9 };
  }
  return undefined;
}
