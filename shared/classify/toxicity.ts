import type { ToxicLabel } from '../domain/classification.ts';
import { Lexicon, wordSet, wordsOf } from './lexicon.ts';
import { stripAccents } from './normalize.ts';
import { bounded } from './regex.ts';

interface Entry {
  label: ToxicLabel;
  weight: number;
}

const e = (label: ToxicLabel, weight: number): Entry => ({ label, weight });

/**
 * Insults, slurs, profanity and threats, English and French. Words are matched after folding
 * (accents stripped, leetspeak undone, letter runs squeezed), so "enculé", "encule" and "3ncul3" meet.
 */
const TOXIC = new Lexicon<Entry>([
  // English
  ...wordsOf(
    'fuck* fuk* fck* motherfuck* shit* bullshit crap damn dammit goddamn piss* wtf stfu',
    e('profanity', 0.7),
  ),
  ...wordsOf(
    'bitch* bitchy cunt* dick* dickhead cock* prick asshole* arsehole* bastard* douche* twat* wanker* jerk idiot* moron* stupid dumb dumbass retard* imbecile loser* scum* trash garbage clown pathetic hoe hoes thot* skank* slut* whore* pussy pussies',
    e('insult', 0.8),
  ),
  ...wordsOf(
    'nigger* nigga* niggah negro* fag fags faggot* dyke* tranny trannies chink* spic* wetback* kike* raghead* towelhead* coon* beaner* paki* gook* savages',
    e('hate', 0.95),
  ),
  ...wordsOf('kill rape* murder* shoot stab', e('threat', 0.35)),
  ...wordsOf('ass asses arse dumbass jackass smartass bs gtfo', e('profanity', 0.65)),
  ...wordsOf(
    'liar* hypocrite* traitor* fascist* nazi* creep creeps creepy pig pigs fool fools foolish lunatic* psycho* nutjob* coward* pedo pedos pedophile* paedo* degenerate* halfwit* buffoon* dimwit* twit',
    e('insult', 0.6),
  ),
  ...wordsOf(
    'scumbag* dirtbag* lowlife* dipshit* shithead* douchebag* numbnut* tosser* bellend* pillock* jackass* libtard* dumbfuck* fuckwit* halfwit* nitwit* dimwit* airhead* bonehead* knucklehead*',
    e('insult', 0.8),
  ),
  ...wordsOf(
    'sucks suck sucked hell crappy pissed screw screwed freakin frickin effing',
    e('profanity', 0.55),
  ),
  ...wordsOf('porn* nude* nudes boobs tits titties horny', e('sexual', 0.6)),
  // Read off the misses of the engine over the offensive examples written for this project
  // (eval/corpus/offensive.en.*.jsonl): name-calling of social media that the lists above lacked.
  ...wordsOf(
    'brainless spineless talentless gutless weasel weasels twerp twerps drongo muppet muppets bimbo bimbos hag hags ghoul ghouls grifter* shill shills bootlick* crybaby crybabies meathead* sheeple manchild cultist cultists brat brats leeches freeloader* simp simps weirdo weirdos commie commies hillbillies rednecks geezer geezers deplorables thug thugs whiny dork dorks vermin goblin goblins gasbag gasbags knobhead knobheads dumbest stupidest stupidity idiocy npc npcs cuck cucks incel incels dogshit horseshit batshit apeshit chickenshit',
    e('insult', 0.7),
  ),
  ...wordsOf('af fml omfg jfc stfu tf mf biatch', e('profanity', 0.6)),
  // Spellings and abbreviations of the same swearing ("ffs", "phuck", "pos" for piece of shit), and
  // the British "bollocks", written for this project.
  ...wordsOf('ffs wth phuck* phuk* bollocks clusterfuck* dumbass* pos', e('profanity', 0.6)),
  // Name-calling that has no literal sense to hide behind (unlike "rat", "cow", "hack"), written for
  // this project from the kinds its offensive examples use.
  ...wordsOf(
    'dunce dunces bozo bozos dingbat dingbats chucklehead* troglodyte* neanderthal neanderthals slimeball* sleazebag* sleazeball* wimp wimps whiner whiners dweeb dweebs prat prats nutcase* numbskull* dumbo goon goons turd turds slob slobs windbag* bloodsucker* presstitute* assclown* asshat* asswipe* stooge stooges phony phonies pervert perverts perv pervs wuss wussy wusses sissy sissies noob noobs nincompoop* blockhead* pinhead* meathead* dullard* cretin cretins doofus dipstick* jackass* douchenozzle* shitstain* scrote* tosspot* plonker* numpty numpties',
    e('insult', 0.7),
  ),
  // Read off the misses over our everyday-argument replies (eval/corpus/offensive.en.4): names for
  // people with no plain sense left ("subhuman", "sicko", "feminazi"), the plural "suckers" (the
  // singular is "a sucker for romance"; suction cups are skipped where it is read), a hell of a place,
  // and the plural of "mf".
  ...wordsOf(
    'subhuman subhumans inbred harpy harpies sicko sickos neckbeard* feminazi* suckers',
    e('insult', 0.7),
  ),
  ...wordsOf('hellscape hellsite hellhole hellholes mfs mofo mofos', e('profanity', 0.55)),
  // French
  ...wordsOf(
    'putain merde* bordel chier chiant* foutre nique* niquer niktamere ntm fdp tg',
    e('profanity', 0.7),
  ),
  // "s'en fout", "tout est foutu", "bien foutu": colloquial, flagged only with other evidence.
  ...wordsOf('fout*', e('profanity', 0.45)),
  ...wordsOf(
    'connard* connasse* con conne cons abruti* debile* cretin* imbecile* idiot* salaud* salope* pute* putes enfoire* encule* batard* batarde* pd pede* tapette* gouine* trouduc ordure* crevure* charogne* pourriture* racaille* raclure* bouffon* tocard* nullos mongol* triso* attarde* gogol* sous-merde grognasse* pouffiasse* cassos fumier',
    e('insult', 0.85),
  ),
  ...wordsOf(
    'bougnoule* bicot* negre* negresse* youpin* youtre* chinetoque* bridé bamboula* melon* bicots raton* sale-arabe macaque* sous-homme* islamo* feuj* gauchiasse* musulmerde*',
    e('hate', 0.95),
  ),
  ...wordsOf('crever creve tuer bruler egorger', e('threat', 0.35)),
  // Read off the candidate list of eval/derive-lexicon.ts over mlma_fr_toxic (MIT, Ousidhoum et al. 2019):
  // verlan and slang labels for groups, and the insults of French social media.
  ...wordsOf(
    'renoi renois rebeu rebeus beurette* babtou* bougnoul* youpin* feuj feujs negro',
    e('hate', 0.6),
  ),
  ...wordsOf(
    'mongol mongole mongols mongoles mongolien* gauchiste* gauchos droitard* fachos facho islamo* gogole* triso* debile* demeure* tache boloss* bolos cassos clochard*',
    e('insult', 0.6),
  ),
  ...wordsOf('attarde attardes attardee attardees', e('insult', 0.75)),
  // Plain words that a prefix or a squeezed key would otherwise catch ("paki*" → Pakistan, "cock*" →
  // cocktail, "dick*" → Dickens, "melon*" → Meloni, "assess" → "asses"): an exact entry wins, weight 0.
  ...wordsOf(
    'pakistan pakistani pakistanis pakistanais pakistanaise spicy spice spices spiciness cocktail cocktails cockpit cockpits cockerel cockney cockle cockles cockburn dickens dickinson dickson dickey meloni melon assess ' +
      // French: household waste ("les ordures ménagères"; the insult is the singular "ordure").
      'ordures ' +
      // English words a French slur's prefix or an insult's plural would catch.
      'mongolia mongolian mongolians pedestrian pedestrians pedestrianised pedestrianized pedestal pedestals screws',
    e('profanity', 0),
  ),
]);

/** Phrases a word list misses: threats, hate constructions, insults made of common words. */
/**
 * Read over the folded text, where Latin letters are a-z once accents are gone: `[a-z]` stands for a
 * letter here, which V8 compiles much faster than `\p{L}`.
 */
const PHRASE_SOURCES: Array<[RegExp, ToxicLabel, number]> = [
  [
    /\b(i ?(?:will|'ll|am going to|m gonna|m going to)|we (?:will|'ll)|gonna) (?:kill|hurt|find|beat|shoot|stab|rape) (?:you|u|him|her|them|your)\b/,
    'threat',
    0.95,
  ],
  [/\b(?:kill|hang|shoot|gas) (?:yourself|urself|them all|all of them)\b|\bkys\b/, 'threat', 0.95],
  [
    /\b(?:je vais|on va|j'vais|jvais) (?:te|vous|les|le|la) (?:tuer|buter|defoncer|egorger|cramer|retrouver|frapper)\b/,
    'threat',
    0.95,
  ],
  [
    /\b(?:va|allez) (?:te faire|vous faire) (?:foutre|enculer|voir)\b|\bta (?:gueule|mere)\b|\bferme ta gueule\b|\bfils de pute\b/,
    'insult',
    0.9,
  ],
  [
    /\bsale(?:s)? (?:arabe|noir|juif|juive|musulman|pd|gay|race|chinois|bougnoule|negre|immigre|migrant|francais|blanc)s?\b/,
    'hate',
    0.95,
  ],
  [/\b(?:dirty|filthy) (?:jew|muslim|arab|immigrant|mexican|black)s?\b/, 'hate', 0.9],
  [
    /\b(?:shut up|shut the fuck up|piece of shit|go to hell|son of a bitch|screw you|get lost|fuck off|piss off|bite me|eat shit)\b/,
    'insult',
    0.85,
  ],
  [
    /\b(?:hope|wish) (?:you|u|he|she|they|it) (?:die|dies|rot|rots|burn|burns|get shot|gets shot|choke|chokes)\b|\b(?:should|deserves? to|needs? to) (?:die|be shot|be hanged|be hung|rot in hell|burn in hell)\b|\bburn in hell\b|\brot in hell\b/,
    'threat',
    0.85,
  ],
  [/(?<!\b(?:une|cette|l|chaque|quelle|nouvelle|meme) )\bespece d(?:e |')[a-z]{3,}/, 'insult', 0.6],
  // The slang "victime" (a loser) only when said of someone; "victime d'une arnaque" is a victim.
  [
    /\b(?:(?:t'?es|t es|tu es)(?: qu'?| qu)?(?: une?)?|grosse|gros|pauvre|quelle|bande de) victimes?\b/,
    'insult',
    0.6,
  ],
  [
    /\bpauvres? (?:con|conne|cons|type|mec|meuf|fille|idiot|tache|merde|naze|cloche|abruti|debile|gars|mongol|fou|folle)\b/,
    'insult',
    0.8,
  ],
  [
    /\b(?:you|u|ur|you're|youre|your) (?:such an? |an? |so |are |is )?(?:idiot|moron|loser|clown|joke|disgrace|liar|hypocrite|fool|pig|creep|disgusting|pathetic|stupid|dumb|trash|garbage)\b/,
    'insult',
    0.8,
  ],
  [
    /\b(?:shut your (?:mouth|trap|face)|waste of (?:oxygen|space|air)|get a life(?! (?:jacket|vest|insurance|coach|lesson|skill|style|hack|saver|cycle|time)s?\b)|touch grass|brain ?dead|cope and seethe|crawled out of|nobody asked (?:you|for your)|speak english or get out|go (?:f|eff) (?:yourself|urself)|eff off|take your meds|seek help|go cry (?:to|in|about)|cry more|such a tool|drama queen|personality of an? (?:wet|damp|brick|rock|potato|cardboard)|(?:dumbest|stupidest) (?:person|human|thing|comment|take|people))\b/,
    'insult',
    0.75,
  ],
  [
    /\b(?:should|must|deserves? to) (?:hang|be hanged)\b|\bhang (?:him|her|them)\b|\brot in (?:prison|jail|a cell)\b|\b(?:get|gets|getting) (?:hit by a (?:bus|car|truck)|run over)\b|\bi know where (?:you|u) live\b|\b(?:quit|stop) breathing\b/,
    'threat',
    0.75,
  ],
  [
    /\b(?:retourne|rentre(?:z)?|retournez) (?:dans|chez) (?:ton|ta|leur|vos|votre) (?:pays|bled)\b|\bgo back to your country\b/,
    'hate',
    0.9,
  ],
];

const PHRASES = PHRASE_SOURCES.map(([re, label, w]) => [bounded(re), label, w] as const);

/** French "sale …" ("sale type"), read in French comments only: English "on sale", "summer sales" are not it. */
const SALE_INSULT = bounded(
  /\bsales? (?!(?:de bain|temps|gosse|journee|coup|histoire|affaire)\b)(?:[a-z]{3,})\b/,
);
const STANDALONE_AF = /(?:^|[^\p{L}\d])af(?![\p{L}\d])/iu;
const UNACCENTED_SALE = /(?:^|[^\p{L}])sales?(?![\p{L}])/iu;

/**
 * Words that insult a person once they are said of one ("you are pathetic", "she is a disgrace",
 * "they're all liars"), and say little alone ("a pathetic season"). Written for this project.
 */
const SAID_OF_A_PERSON = wordSet(
  'stupid dumb idiotic ignorant incompetent pathetic disgusting despicable vile evil corrupt fake liar liars lying ' +
    'delusional deranged crazy insane psycho psychotic sick twisted ugly fat lazy useless worthless clueless brainless ' +
    'spineless gutless hypocrite hypocrites hypocritical disgrace disgraceful shameful nasty gross creepy racist racists ' +
    'sexist bigot bigots bigoted traitor traitors scum trash garbage joke clown clowns fraud frauds crook crooks ' +
    'criminal criminals thug thugs coward cowards cowardly loser losers moron morons idiot idiots fool fools lunatic ' +
    'lunatics sheep puppet hack sellout horrible terrible awful worst horrid pig pigs animals snake snakes rat rats ' +
    'parasite parasites embarrassment embarrassing unhinged brainwashed arrogant dishonest treasonous crooked sleazy ' +
    'slimy scumbag scumbags dirtbag lowlife weak weirdo freak freaks jerk jerks nutjob nuts retarded insufferable ' +
    'con menteur menteuse menteurs nul nuls nulle minable minables pathetique pitoyable debile debiles ridicule ' +
    'ridicules incapable incapables lache laches hypocrite hypocrites degueulasse immonde honte traitre traitres ' +
    'escroc escrocs voleur voleurs clown clowns guignol guignols ' +
    // More of the same, written for this project: what is said of a person's mind, manners and morals.
    'senile demented ungrateful spoiled entitled smug pompous dense gullible shallow ' +
    'obnoxious hateful unstable wacko whacko loony looney nutty mental dumber dumbest stupider ' +
    'dishonorable seditious heartless soulless shameless spiteful vindictive cruel sleazy greasy smelly ' +
    'narcissist narcissists sociopath sociopaths psychopath psychopaths maniac maniacs bully bullies tyrant tyrants ' +
    'thief thieves cheater cheaters failure charlatan charlatans conman conmen leech leeches vulture vultures snob snobs ' +
    // What a person is accused of being ("he is a rapist", "she is a monster"), written for this project.
    'rapist rapists murderer murderers predator predators monster monsters terrorist terrorists witch ' +
    // What is said of a person's talent and upbringing ("you're untalented"), read off offensive.en.4.
    'untalented uneducated subhuman inbred',
);
const PERSON_SUBJECT = wordSet(
  'you u ya youre ur he she they hes shes theyre ure tu vous il elle ils elles t es etes',
);
const COPULA = wordSet(
  'are is r re s was were be being been am sound sounds look looks seem seems es est etes sont',
);
const FILLER = wordSet(
  'a an the so such most absolute absolutely complete completely total totally really truly just all nothing but bunch of ' +
    'real utter fucking very pretty little big damn biggest un une des vraiment trop tellement completement bande de bien ' +
    'literally actually clearly obviously seriously honestly still always definitely certainly officially basically walking',
);

/** "you are pathetic", "she is such a disgrace", "t'es qu'un minable", and the vocative "you idiot". */
/** Nouns for people that insult whoever they are said of ("liberals are hypocrites", "the refs are clowns"). */
const INSULTING_NOUNS = new Set(
  (
    'liar liars hypocrite hypocrites traitor traitors scum trash garbage clown clowns fraud frauds crook crooks thug thugs ' +
    'coward cowards loser losers moron morons idiot idiots fool fools lunatic lunatics sheep puppet puppets racist racists ' +
    'bigot bigots pig pigs animals snake snakes rat rats parasite parasites scumbag scumbags disgrace embarrassment joke ' +
    'menteur menteurs hypocrites traitres escroc escrocs voleur voleurs clown clowns guignol guignols ' +
    // Said of anyone ("the so-called expert is a murderer"); "monster", "predator", "witch" also name
    // things and costumes, so they count only after a person ("she is a monster").
    'rapist rapists murderer murderers terrorist terrorists groomer groomers'
  ).split(' '),
);

/** People spoken of as a group: an insulting adjective in front of them insults the group ("unhinged liberals"). */
const PEOPLE = wordSet(
  'people ppl folks liberals libs lefties leftists democrats dems republicans conservatives trumpers voters ' +
    'supporters fans men women guys girls kids idiots politicians cops feminists snowflakes punks followers ' +
    'gens mecs types gauchistes electeurs politiques femmes hommes',
);

/** "unhinged liberals", "those stupid people", "des gens debiles": an insulting adjective next to a group of people. */
function groupInsulted(toks: readonly string[]): boolean {
  for (let i = 0; i < toks.length; i++) {
    if (!PEOPLE.has(toks[i] as string)) continue;
    const before = toks[i - 1];
    const after = toks[i + 1];
    if (
      (before && SAID_OF_A_PERSON.has(before)) ||
      (after && SAID_OF_A_PERSON.has(after) && isFrenchOrder(toks))
    )
      return true;
    // "liberals are delusional", "these people are so corrupt": the group, a copula, then the word.
    if (after && COPULA.has(after) && after !== 's' && after !== 'be') {
      for (let k = i + 2; k < Math.min(toks.length, i + 6); k++) {
        const w = toks[k] as string;
        if (SAID_OF_A_PERSON.has(w)) return true;
        if (!FILLER.has(w)) break;
      }
    }
  }
  return false;
}

/** French puts most adjectives after the noun ("des gens debiles"); English before it. */
function isFrenchOrder(toks: readonly string[]): boolean {
  return toks.some((t) => t === 'des' || t === 'les' || t === 'ces');
}

/**
 * Up to two other words may stand before the insulting noun ("a pathological liar", "a national disgrace",
 * "a slimy little snake"), but not words that start another phrase ("better than those liars").
 */
const NOT_A_MODIFIER = wordSet(
  'than like to for with about and or but who that which by from against on in at as if not no never',
);
/** Nouns with a common literal sense that a modifier usually means ("a cruel joke", "a bad joke"). */
const LITERAL_TOO = new Set(['joke', 'jokes']);

function saidOfAPerson(toks: readonly string[]): boolean {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as string;
    if (!PERSON_SUBJECT.has(t)) {
      if (i > 0 && COPULA.has(t) && t !== 's' && t !== 'be' && t !== 'been' && t !== 'being') {
        let others = 0;
        for (let k = i + 1; k < Math.min(toks.length, i + 6); k++) {
          const w = toks[k] as string;
          if (INSULTING_NOUNS.has(w) && (others === 0 || !LITERAL_TOO.has(w))) return true;
          if (!FILLER.has(w) && (others++ >= 2 || NOT_A_MODIFIER.has(w))) break;
        }
      }
      continue;
    }
    let j = i + 1;
    if (COPULA.has(toks[j] ?? '')) j++;
    else if (t !== 'youre' && t !== 'hes' && t !== 'shes' && t !== 'theyre' && t !== 'you' && t !== 'u')
      continue;
    // "qu'un": French restriction, as insulting as the plain copula.
    if (toks[j] === 'qu' || toks[j] === 'que') j++;
    const negated = toks[j] === 'not' || toks[j] === 'pas' || toks[j] === 'never';
    if (negated) continue;
    let others = 0;
    for (let k = j; k < Math.min(toks.length, j + 6); k++) {
      const w = toks[k] as string;
      if (SAID_OF_A_PERSON.has(w) && (others === 0 || (INSULTING_NOUNS.has(w) && !LITERAL_TOO.has(w))))
        return true;
      if (!FILLER.has(w) && (others++ >= 2 || NOT_A_MODIFIER.has(w))) break;
    }
  }
  return false;
}

/** The neighbours that give a listed word its plain sense: the word before it, or the word after it. */
interface PlainNeighbours {
  before?: Set<string>;
  after?: Set<string>;
}
const CLITIC: PlainNeighbours = { before: wordSet('s m t se me te') };
const PIQUE: PlainNeighbours = { before: wordSet('pique') };
/**
 * Listed words read in their plain sense next to these neighbours: "s'attarde" (a reflexive verb),
 * "pique-niquer" (a picnic), "the POS terminal" (a point of sale), "its suckers" (suction cups, an
 * octopus's arms).
 */
const PLAIN_NEXT_TO = new Map<string, PlainNeighbours>([
  ...['attarde', 'attardes', 'creve', 'tache'].map((w) => [w, CLITIC] as const),
  ...['nique', 'niques', 'niquer', 'niquent', 'niquez'].map((w) => [w, PIQUE] as const),
  [
    'pos',
    {
      after: wordSet(
        'terminal terminals system systems machine machines software device devices till tills app data integration',
      ),
    },
  ],
  ['suckers', { before: wordSet('its rubber suction plastic tentacle tentacles the') }],
]);

/** "dumbasses", "morons", "connards": a plural meets the singular entry (words of five letters or more). */
function plural(t: string): Entry | undefined {
  if (t.length < 5 || !t.endsWith('s')) return undefined;
  return (t.endsWith('es') ? TOXIC.get(t.slice(0, -2)) : undefined) ?? TOXIC.get(t.slice(0, -1));
}

/**
 * The middle finger, and the clown (mockery of a person or of a thing: "le wifi du train 🤡"), which the
 * folding removes with the rest of the symbols. Any occurrence counts; the clown weighs less.
 */
const INSULTING_EMOJI: Array<[string, number]> = [
  ['\u{1F595}', 0.8],
  ['\u{1F921}', 0.6],
];

export interface ToxicResult {
  flag: boolean;
  labels: ToxicLabel[];
  score: number;
  confidence: number;
}

/** Words masked with symbols ("f*ck", "sh#t", "c**nard"): each vowel is tried in place of the mask. */
function unmask(raw: string): string[] {
  const masked = raw.toLowerCase().match(/\p{L}+[*#%]+\p{L}*/gu);
  if (!masked) return [];
  const out: string[] = [];
  for (const m of masked) {
    for (const v of ['u', 'i', 'o', 'a', 'e', 'on', 'ss', 'uc', 'uck', 'hi'])
      out.push(stripAccents(m.replace(/[*#%]+/g, v)));
  }
  return out;
}

/**
 * Words that are an English insult and a plain word in another language: the French "retard" is a
 * delay ("2h de retard"), the Spanish "retardo" too. Read as the insult only outside that language.
 */
const PLAIN_IN: Record<string, Set<string>> = {
  fr: wordSet(
    'retard retards retarde retardee retardes retardees retarder retardent retardait retardement retardataire retardataires',
  ),
  es: wordSet('retardo retardos retrasado'),
  // "pros and cons", "Comic-Con": the French insult "con" is a plain English word.
  en: wordSet('con cons'),
};

/**
 * Whether the token at `i` is read in a plain sense here: a word that insults in English and is plain
 * in the comment's language, a listed word next to neighbours that make it plain, or "af" that was a
 * flight number ("AF1234": folding drops the digits) rather than "as f…".
 */
function plainSense(toks: readonly string[], i: number, raw: string, language: string): boolean {
  const t = toks[i] as string;
  if (PLAIN_IN[language]?.has(t)) return true;
  if (t === 'af') return !STANDALONE_AF.test(raw);
  const plain = PLAIN_NEXT_TO.get(t);
  if (!plain) return false;
  return Boolean(plain.before?.has(toks[i - 1] ?? '') || plain.after?.has(toks[i + 1] ?? ''));
}

export function scoreToxicity(
  raw: string,
  folded: string,
  toks: readonly string[],
  language = 'en',
): ToxicResult {
  const weights = new Map<ToxicLabel, number>();
  const add = (label: ToxicLabel, w: number) => weights.set(label, Math.max(weights.get(label) ?? 0, w));
  for (let i = 0; i < toks.length; i++) {
    const hit = TOXIC.get(toks[i] as string) ?? plural(toks[i] as string);
    if (hit && !plainSense(toks, i, raw, language)) add(hit.label, hit.weight);
  }
  if (raw.includes('*') || raw.includes('#') || raw.includes('%')) {
    for (const t of unmask(raw)) {
      const hit = TOXIC.get(t);
      if (hit) add(hit.label, hit.weight);
    }
  }
  for (const [re, label, w] of PHRASES) if (re.test(folded)) add(label, w);
  // "salé" (a steep price) folds to "sale": the raw text must have the unaccented word.
  if (language === 'fr' && SALE_INSULT.test(folded) && UNACCENTED_SALE.test(raw)) add('insult', 0.6);
  if (saidOfAPerson(toks) || groupInsulted(toks)) add('insult', 0.6);
  for (const [emoji, w] of INSULTING_EMOJI) if (raw.includes(emoji)) add('insult', w);
  // Letter-spaced evasions ("f u c k", "c o n n a r d") only show once the spaces are gone.
  const spaced = folded.match(/\b(?:[a-z] ){3,}[a-z]\b/g);
  if (spaced) {
    for (const s of spaced) {
      const hit = TOXIC.get(s.replace(/ /g, ''));
      if (hit) add(hit.label, hit.weight);
    }
  }
  let score = 0;
  for (const w of weights.values()) score = 1 - (1 - score) * (1 - w);
  score = Math.round(score * 1000) / 1000;
  const flag = score >= 0.5;
  const labels = [...weights.entries()].filter(([, w]) => w >= 0.5).map(([l]) => l);
  return {
    flag,
    labels: flag ? labels : [],
    score,
    confidence: Math.round(Math.abs(score - 0.5) * 2 * 1000) / 1000,
  };
}
