import { modelFeatures, parseModel, probabilityOf } from './linear-model.ts';
import { countLetters, countUrls, fold, stripNoise, tokens } from './normalize.ts';
import { SPAM_WEIGHTS } from './spam-weights.generated.ts';

export interface SpamResult {
  flag: boolean;
  reasons: string[];
  score: number;
  confidence: number;
}

/**
 * Self-promotion, link drops, crypto and contact-me schemes, copy-paste floods. The reason names
 * are stable: routing rules and dashboards may filter on them.
 */
/**
 * Patterns written for this project; the engagement-bait and channel-plug shapes were checked
 * against the YouTube Spam Collection (Alberto, Lochter & Almeida, "TubeSpam: Comment Spam
 * Filtering on YouTube", IEEE ICMLA 2015).
 */
const RULES_SOURCE: Array<[string, RegExp, number]> = [
  [
    'self-promotion',
    /\bcheck (?:out|it out|this out|us out)\b|\b(?:go to|visit|search(?: for)?|look (?:up|(?:her|his|my|our|their) name up)) (?:my |our |da |the |this )?(?:channel|page|site|profile|name|"|“)|\bsubscrib\w*|\bsub(?:s|bed)? (?:to|back|4|for)\b|\bmy (?:new )?(?:cover|remix|rap|beat)s?\b|\bdécouvrez (?:ma|mon|notre|nos)\b|\babonne[zr]?[- ]?(?:vous|toi)?\b/i,
    0.65,
  ],
  [
    'engagement-bait',
    /\b(?:thumbs up if|thumbs up of|like this comment|like (?:this )?if|like please|please like|share (?:this|if)|repost (?:this|if)|if i get \d+ (?:likes|subscribers|subs)|likez si|partagez si)\b/i,
    0.6,
  ],
  [
    'self-promotion',
    /\b(?:(?:check|chek|look) (?:out )?(?:my|our)|(?:sub(?:scribe)?|follow|visit|watch|like) (?:to )?(?:my|our|me)|my (?:channel|chanel|page|video|vids?|music|song|blog|website|site|insta|instagram|ig|profile|playlist|mixtape|shop|store)|subscribe|sub 4 sub|sub4sub|follow me|follow back|(?:abonnez|abonne)[- ]?(?:vous|toi)|ma chaine|mon (?:site|blog|insta|compte)|suivez[- ]moi)\b/i,
    0.7,
  ],
  [
    'money-scheme',
    /\b(?:earn|make) (?:\$|money|cash|\d+)|\bearning (?:income|money|cash)|\bbonus deals?\b|\bwin (?:dollars|money|cash|an? (?:iphone|ipad|gift))|\bpaypal\b|\bwork from home\b|\bfree (?:money|gift|iphone|giftcard|gift card|followers|v-?bucks|robux)\b|\bgiveaway\b|\bclick (?:here|the link|on the link|my link)\b|\bgagne[rz]? (?:de l'argent|\d+)|\bargent facile\b|\bconcours\b.*\blien\b/i,
    0.7,
  ],
  [
    'fundraising',
    /\b(?:gofundme|indiegogo|kickstarter|patreon|donate|donation|petition|fundraiser|cagnotte|leetchi)\b|\bhelp me (?:get|reach|go to)\b|\bjoin me (?:on|in|at)\b|\bvote for\b/i,
    0.5,
  ],
  [
    'self-promotion',
    /\bsee my (?:new )?(?:track|video|song|channel|page)|\b(?:need|want) money\b|\bmake (?:a lot of |some |easy |fast )?money\b/i,
    0.65,
  ],
  [
    'self-promotion',
    /\badd me\b|\b(?:please|plz|pls) (?:just )?(?:take \w+ (?:second|minute)s? (?:and|to) )?(?:watch|share|listen|visit|read|view|support)\b|\b(?:we|i) (?:did|made|wrote|recorded) (?:a|an|some|my|our) (?:cover|song|video|remix|track|book)s?\b|\bread my\b|\bshare to vote\b/i,
    0.55,
  ],
  [
    'money-scheme',
    /\b(?:earn|make|making|get) (?:real |easy |fast |extra |free |quick )?(?:money|cash|income)\b|\bclick\s*:|\b(?:now|just) click\b/i,
    0.6,
  ],
  [
    'crypto',
    /\b(?:bitcoin|btc|crypto|ethereum|eth|usdt|nft|forex|binary options?|airdrop|wallet|invest(?:ment|ir)? (?:plan|now|platform))\b/i,
    0.45,
  ],
  [
    'contact-me',
    /\b(?:whats ?app|telegram|dm me|message me|text me|contact me|inbox me|contactez[- ]moi|ecrivez[- ]moi)\b/i,
    0.45,
  ],
  ['phone-number', /(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{2,4}\)?[\s.-]?){3,}\d{2,4}/, 0.4],
];

/** Matched against the lower-cased text: case-sensitive expressions are faster than `/i` ones. */
const RULES: Array<[string, RegExp, number]> = RULES_SOURCE.map(([r, re, w]) => [
  r,
  new RegExp(re.source, re.flags.replace('i', '')),
  w,
]);

/**
 * Weights learned by `eval/train-models.ts` over the rules' reasons and the comment's words, from the
 * YouTube Spam Collection (Alberto, Lochter & Almeida, "TubeSpam: Comment Spam Filtering on YouTube",
 * IEEE ICMLA 2015). Only a confident answer of the model adds to the rules.
 */
const SPAM_MODEL = parseModel(SPAM_WEIGHTS);
const MODEL_FLAG = 0.8;

/** The folded words of a comment once links and mentions are gone: what the spam model reads, with the rules' reasons. */
export function contentTokens(text: string): string[] {
  return tokens(fold(stripNoise(text)));
}

export function spamFeatures(text: string, toks: readonly string[], reasons: readonly string[]): string[] {
  return modelFeatures(toks, spamExtras(text, reasons));
}

/** The features beyond the words: the rules' reasons, and the words inside links. */
function spamExtras(text: string, reasons: readonly string[]): string[] {
  const extra = reasons.map((r) => `__${r}`);
  // The words inside links ("watch", "channel", "ref") tell a plug from a shared video.
  if (reasons.includes('links')) {
    for (const t of tokens(fold((text.match(LINK_RE) ?? []).join(' ')))) extra.push(`u:${t}`);
  }
  return extra;
}

/** `toks`: the comment's content tokens when the caller already has them (see `contentTokens`). */
export function scoreSpam(text: string, toks?: readonly string[], model = SPAM_MODEL): SpamResult {
  const rules = scoreSpamRules(text);
  const p = probabilityOf(model, toks ?? contentTokens(text), spamExtras(text, rules.reasons));
  // The collection's comments sit under music videos, where a video link is itself a plug; elsewhere a
  // member shares videos all the time, so a shared-media link alone never lets the model flag.
  const sharedLinkOnly =
    rules.reasons.length === 1 &&
    rules.reasons[0] === 'links' &&
    (text.match(LINK_RE) ?? []).every((l) => SHARED_MEDIA.test(l));
  if (rules.flag || p < MODEL_FLAG || sharedLinkOnly) return rules;
  const score = Math.round(Math.max(p, rules.score) * 1000) / 1000;
  return {
    flag: true,
    reasons: [...rules.reasons, 'spam-words'],
    score,
    confidence: Math.round(Math.abs(score - 0.5) * 2 * 1000) / 1000,
  };
}

/** The hand-written rules alone. */
export function scoreSpamRules(text: string): SpamResult {
  const reasons: string[] = [];
  // Two rules may name the same reason; it is listed once.
  let score = 0;
  const add = (reason: string, w: number) => {
    if (!reasons.includes(reason)) reasons.push(reason);
    score = 1 - (1 - score) * (1 - w);
  };
  const urls = countUrls(text);
  // One link alone is often a member sharing the thing they talk about; two or more rarely are.
  if (urls > 0) add('links', urls > 1 ? 0.6 : 0.45);
  const links = urls > 0 ? (text.match(LINK_RE) ?? []) : [];
  const outside = links.filter((l) => !SHARED_MEDIA.test(l));
  // A comment that is little more than an outside link, or a link carrying a referral code, is a drop.
  if (links.length > 0) {
    const rest = stripLinks(text).replace(/[^\p{L}]+/gu, '');
    if (rest.length < 30 && (outside.length > 0 || links.some((l) => SOCIAL_PROFILE.test(l))))
      add('links', 0.3);
    if (links.some((l) => REFERRAL.test(l))) add('referral-link', 0.4);
  }
  const lower = text.toLowerCase();
  for (const [reason, re, w] of RULES) if (re.test(lower)) add(reason, w);
  // A block repeated five times is a run of at least 15 non-space characters: test that cheaply first.
  if ((hasLongRun(text, 15) && /(\S{3,}?)\1{4,}/u.test(text)) || repeatedWords(lower))
    add('repeated-text', 0.45);
  const { letters, upper } = countLetters(text);
  if (letters > 20 && upper / letters > 0.7) add('shouting', 0.2);
  score = Math.round(score * 1000) / 1000;
  return {
    flag: score >= 0.5,
    reasons,
    score,
    confidence: Math.round(Math.abs(score - 0.5) * 2 * 1000) / 1000,
  };
}

/** Links to the big video and social platforms are members sharing what they talk about. */
const SHARED_MEDIA =
  /(?:^|[/.])(?:youtube\.com|youtu\.be|twitter\.com|x\.com|instagram\.com|facebook\.com|wikipedia\.org|giphy\.com|t\.co\/)/i;
/** A link to a person's page on a social platform (not to a post or a video): a plug for that person. */
const SOCIAL_PROFILE =
  /(?:^|[/.])(?:twitter\.com|x\.com|instagram\.com|facebook\.com|soundcloud\.com|tiktok\.com)\/@?[\w.-]+\/?$/i;
const REFERRAL =
  /[?&](?:ref|aff\w*|affiliate\w*|referral\w*|invite|promo|code|partner\w*|utm_[a-z]+)=|\/(?:ref|invite|share|r|partners?|affiliates?)\/|bit\.ly|tinyurl|goo\.gl|ow\.ly|adf\.ly|tiny\.cc|is\.gd/i;

const LINK_RE =
  /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|ly|co|fr|be|ch|me|tv|gl|gg|xyz|info|biz|ru|de|es|uk|us|app|link|site|shop|store)(?:\/\S*)?/gi;

function stripLinks(text: string): string {
  return text.replace(LINK_RE, ' ');
}

/** Whether `n` non-space characters follow each other somewhere: a loop, cheaper than `/\S{n}/`. */
function hasLongRun(text: string, n: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // The whitespace `\s` knows that matters here: ASCII blanks, no-break and the Unicode spaces.
    const blank =
      c === 32 ||
      (c >= 9 && c <= 13) ||
      c === 0xa0 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x3000 ||
      c === 0x1680 ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0xfeff;
    run = blank ? 0 : run + 1;
    if (run >= n) return true;
  }
  return false;
}

/** `lower`: the comment in lower case. */
function repeatedWords(lower: string): boolean {
  const words = lower.split(/\s+/).filter((w) => w.length > 2);
  if (words.length < 8) return false;
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  let max = 0;
  for (const c of counts.values()) if (c > max) max = c;
  return max / words.length > 0.4;
}
