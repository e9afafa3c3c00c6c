import type { Intent } from '../domain/classification.ts';
import { wordSet } from './lexicon.ts';
import { bounded } from './regex.ts';
import type { SentimentResult } from './sentiment.ts';

export interface IntentResult {
  intent: Intent;
  intents: Intent[];
  confidence: number;
}

const QUESTION_START = bounded(
  /^(?:who|what|whats|when|where|why|how|which|whose|whom|is|are|was|were|do|does|did|can|could|would|will|should|shall|may|might|have|has|had|am|isnt|arent|doesnt|dont|didnt|cant|wont|any ?(?:one|body)|anyone|anybody|any \w+(?: or \w+)? (?:wanna|want|here|like|know|got|have)|whats|hows|whos|wheres|whys|r u|are u|u (?:wanna|want|ok|there|from)|wanna|pourquoi|comment|quand|ou|qui|quoi|quel|quelle|quels|quelles|combien|est ce|est-ce|qu'est|c'est quand|c'est ou|c'est qui|c'est quoi|y a t il|y a-t-il|por ?que|que|qué|como|cómo|cuando|cuándo|donde|dónde|quien|quién|cual|cuál|cuanto|cuánto|warum|wie|was|wann|wo|wer|welche|welcher|welches|gibt es|kann|kannst|könnt|habt|hast|ist|sind)\b/,
);
const QUESTION_INSIDE = bounded(
  /\b(?:est[- ]ce que|est[- ]ce qu'|peut[- ]on|puis[- ]je|pouvez[- ]vous|pourriez[- ]vous|savez[- ]vous|avez[- ]vous|etes[- ]vous|êtes[- ]vous|sais[- ]tu|peux[- ]tu|as[- ]tu|c'est normal|any idea|anyone (?:know|wanna|want to|here|got|have|else)|does anyone|do you know|can (?:you|i|we|someone|anyone)|could (?:you|i|we|someone)|is there|are there|is it|i wonder|wondering|je me demande|quelqu'un (?:sait|a|peut)|pourquoi|comment (?:faire|on|je|puis|peut|ca|ça)|quand (?:est|sera|va|arrive)|combien)\b/,
);
/**
 * A question word inside a clause, with no "?", opens an embedded clause ("no idea how long it takes",
 * "thats what is wrong"): it asks only at the opening of a clause (`QUESTION_START`) or before a "?".
 */
const EMBEDDED_WH = bounded(
  /\b(?:how (?:do|can|to|long|much|many)|what (?:is|are|do|does|time)|when (?:is|will|do|does|are)|where (?:is|are|can|do)|why (?:is|are|do|does|did|isnt|doesnt|cant|wont|hasnt|havent))\b/,
);

const SUGGESTION = bounded(
  /\b(?:(?:it|that|this) (?:would|'d|will) be (?:nice|great|good|cool|awesome|helpful|useful|better|amazing|interesting)|would be (?:nice|great|good|cool|awesome|helpful|useful|better)|it'd be|(?:you|they|we|microsoft|ms|devs?) (?:should|could|need to|ought to|might want to) (?:add|make|allow|provide|consider|include|have|support|bring|offer|create|implement|let|give|enable|fix|improve|change|update|put|remove|stop|start|try|think|look)|should (?:be able|allow|have an? option|support|add|include|provide)|please (?:add|make|allow|provide|consider|include|support|bring|implement|let|give|enable|create|improve|update|introduce|offer|reconsider)|(?:i|we) (?:suggest|propose|recommend)|suggestion|(?:i'd|i would|we'd|we would) (?:like|love) to (?:see|have)|(?:i|we) (?:wish|hope) (?:you|there|they|it)|(?:how|what) about (?:adding|making|a|an|having)|why (?:not|don't you) (?:add|make|have|offer|allow|provide)|consider (?:adding|making|allowing|supporting)|feature request|an option to|the ability to|ce serait (?:bien|top|super|cool|genial|génial|pratique|utile|mieux)|ca serait (?:bien|top|super|cool|genial|pratique|utile|mieux)|ça serait (?:bien|top|super|cool|génial|pratique|utile|mieux)|il faudrait|vous devriez|(?:pourriez|pouvez|pourrais|pourriez)[- ]vous (?:ajouter|mettre|proposer|faire|prevoir|prévoir|permettre|rajouter)|je (?:suggere|suggère|propose|recommande)|pourquoi ne pas|pourquoi pas (?:ajouter|mettre|proposer|faire)|serait[- ]il possible|(?:j'aimerais|on aimerait|nous aimerions) (?:bien |beaucoup )?(?:que|pouvoir|voir|avoir|un|une)|(?:ajoutez|rajoutez|proposez|mettez)|merci d'ajouter|une idee|une idée|ajouter une option|wäre (?:schön|toll|gut)|sería (?:bueno|genial|útil))\b/,
);

const COMPLAINT = bounded(
  /\b(?:still (?:not|no|nothing|waiting|haven't|hasn't|havent|hasnt|broken|down)|(?:not|isn't|isnt|doesn't|doesnt|don't|dont|won't|wont|didn't|didnt|never) (?:work|working|load|loading|arrive|arrived|received|receive|delivered|respond|responded|answer|answered|help|helped|fixed|refunded|shipped)|(?:hasn't|hasnt|haven't|havent) (?:arrived|been|received|heard)|broken|(?:is|are|keeps?|was) (?:down|crashing|failing)|crash(?:es|ed|ing)?|worst|terrible|horrible|awful|unacceptable|ridiculous|disgusting|pathetic|useless|joke|disappointed|disappointing|frustrat\w*|annoy\w*|fed up|sick of|tired of|no one (?:has|is|answers|cares)|nobody|on hold|hours? (?:on|waiting)|waited|waiting for|refund|overcharged|charged (?:me|twice|again)|cancel(?:led|ed)?|delay(?:ed|s)?|late again|lost my|missing|wrong (?:order|item|size|address)|fix (?:this|it|your)|sort (?:this|it) out|rip ?off|scam|shame on|how hard is it|what a joke|customer service|poor service|bad service|toujours pas|toujours rien|(?:ne|n')?(?:marche|fonctionne|charge) (?:pas|plus|toujours pas)|(?:ca|ça) (?:marche|fonctionne) pas|en panne|plante|bug(?:ue|gé|ge)?|rembours\w*|inadmissible|scandal\w*|honteu\w*|honte|lamentable|déçu\w*|decu\w*|decevant|nul(?:le)?|arnaque\w*|jamais (?:recu|reçu|livré|livre|arrivé|arrive|eu)|(?:pas|rien) (?:recu|reçu)|j'attends|on attend|attends? depuis|depuis (?:\d+|des|plusieurs|une|trois|deux) (?:jours|semaines|mois|heures)|annul\w*|en retard|retard|inacceptable|pas normal|ras le bol|marre|personne ne (?:répond|repond)|aucune (?:réponse|reponse)|encore une fois|pire)\b/,
);

const PRAISE = bounded(
  /\b(?:thank(?:s| you)|thx|love (?:it|this|you|the|your)|(?:great|awesome|amazing|excellent|fantastic|perfect|wonderful|brilliant|best) (?:job|work|service|app|product|team|support|update|experience)|well done|good job|keep it up|kudos|bravo|merci|félicitations|felicitations|génial|genial|super (?:boulot|travail|service|equipe|équipe|appli)|top|j'adore|trop bien|au top|parfait|excellent|chapeau|gracias|danke)\b/,
);

/** "What a ride", "how nice": exclamations shaped like questions. */
const EXCLAMATIVE =
  /^(?:what an? |how (?:nice|great|cute|sad|sweet|lovely|cool|awful|funny|beautiful|kind)\b|quel(?:le)?s? (?:belle|beau|bonne|horreur|dommage|plaisir|chance))/;
/** "@user is having fun": a chat status about someone, not a yes/no question. */
const THIRD_PERSON = /^@\S+\s+(?:is|was|has|had|will)\b/;
const GREETING =
  /^(?:(?:hey+|hi+|hiya|hello+|yo|ok|okay|omg|lol|lmao|so|well|oh|and|but|bonjour|salut|coucou|hola|dis|dites)\b[\s,.!]*)+/;

const AUXILIARY =
  /^(?:is|are|was|were|do|does|did|can|could|would|will|should|shall|may|might|have|has|had|am|isnt|arent|doesnt|dont|didnt|cant|wont|don't|doesn't|didn't|isn't|aren't|can't|won't|r)\s+(\S+)/;
const SUBJECT =
  /^(?:i|you|u|ya|yall|y'all|he|she|it|we|they|there|this|that|these|those|anyone|anybody|someone|somebody|everyone|everybody|any|ur|your|my|his|her|their|our|the|ppl|people|guys|ladies|yu|yo)$/;
/** "What" before the kind of thing asked for: "what dorm", "what part of cali", "what kinda computer". */
const WHAT_NOUN =
  /^what (?:happened|kind|kinda|part|age|grade|song|school|dorm|state|city|team|game|position|year|size|colou?r|movie|show|band|music|type|sort)\b/;
const WH_PLAIN = /^(?:what|when|where|why|how)\s+(\S+)/;
const WH_NEXT =
  /^(?:is|are|was|were|do|does|did|can|could|would|will|should|shall|has|have|had|am|r|u|you|ya|many|much|long|old|often|far|about|come|time|kind|if|up|not|else|abt|bout)$/;

/**
 * Without a question mark, an opening auxiliary only asks when a subject follows ("did you", "is it")
 * — "is sorta lost", "dont cry", "could be worse" are statements and orders — and an English
 * question word only asks when a verb or a question phrase follows ("when is", "how many"), not in
 * "when i find it" or "what one word can do". Chat drops the auxiliary after "you" ("where u at", "what
 * you doing"), not after "it": "how it goes", "what it is" are relative clauses.
 */
function invertedEnough(clause: string): boolean {
  const aux = AUXILIARY.exec(clause);
  if (aux) return SUBJECT.test(aux[1] as string);
  if (/^(?:is|are|was|were|do|does|did|can|could|would|will|should|has|have|had)$/.test(clause)) return false;
  if (/^(?:wanna|dont|don't)\b/.test(clause)) return false;
  // "why not" without "?" agrees or proposes ("why not both"), as "sure" or "let's" would.
  if (/^why not\b/.test(clause)) return false;
  // "which" opening a clause chooses ("which one", "which server u on"), unless it sums up what came before.
  if (/^which\b/.test(clause)) return !/^which (?:is why|was why|means|meant|makes|made)\b/.test(clause);
  // "what age do u teach", "what song is that", "what happened": "what" asking for a thing of some kind.
  if (WHAT_NOUN.test(clause)) return true;
  const wh = WH_PLAIN.exec(clause);
  if (wh) return WH_NEXT.test(wh[1] as string) || /^(?:what|how|where|when|why)'?s\b/.test(clause);
  return true;
}

/** Clauses a question word may start: the text, and what follows each sentence mark, greeting and mentions removed. */
function clauses(text: string): string[] {
  return text
    .split(/[.!;:\n]+|,\s+|\.\.+/)
    .map((c) =>
      c
        .replace(/^(?:\s*@\S+)+\s*/, (m) => (THIRD_PERSON.test(c) ? m : ''))
        .replace(GREETING, '')
        .replace(/^(?:@\S+\s*)+/, '')
        .trim(),
    )
    .filter((c) => c.length > 0);
}

/** Words that open a clause without naming the one addressed: "yeah do it" is no "jake do u …". */
const NOT_A_NAME = wordSet(
  [
    "i im i'm you u ur he she it we they this that there here yes yeah yea yep no nope nah ok",
    'okay k lol lmao haha hehe just then now so and but or well please pls plz oh ah um hmm',
    "wait also still maybe the a an my your his her our their not dont don't cant can't wont",
    "won't if when what who how why where which is are was were do does did can could would",
    'will should have has had to for in on at of with like go get let make try see look tell',
    'come take give say said know think got gotta gonna wanna guess thats depends',
  ].join(' '),
);
/** What follows the name: an inverted verb and its subject, a question word and its verb, "u still/up/on …". */
const ADDRESSED_QUESTION = bounded(
  /^(?:(?:is|are|was|were|do|does|did|can|could|would|will|have|has|r)\s+(?:you|u|ya|he|she|they|we|that|this)|(?:is|are|was|were|r)\s+(?:ur|your)|(?:who|what|whats|what's|when|where|why|how|hows|how's|which)\s+(?:is|are|was|were|do|does|did|can|could|would|will|r|many|much|long|old|happened|time|temp)|where\s+(?:u|you|ya)|u\s+(?:still|going|coming|up|on|in|at|home|awake|busy|done|sure|ok|okay|there|around|wanna|want|have|got|get|watch|play|think|been|ever|feeling|need|like|mad))\b/,
);

/**
 * A question put to someone by name, no "?" and no "@": "jake where u at", "mike is that true", "kev u
 * up". The first word must not be a common word ("yeah do it", "just did u know").
 */
function namedQuestion(clause: string): boolean {
  const space = clause.indexOf(' ');
  if (space < 2) return false;
  if (NOT_A_NAME.has(clause.slice(0, space))) return false;
  return ADDRESSED_QUESTION.test(clause.slice(space + 1));
}

/** A clause opening on a bare verb is a request: "Add dark mode", "Ajoutez le paiement en 3 fois". */
const IMPERATIVE_SUGGESTION = bounded(
  /^(?:(?:please|pls|plz|kindly) (?:do |just |also |)(?!(?:help|advise|note|see|let me know|check my|subscribe|like)\b)\w+|(?:just |also |then |and |but |so )?(?:make|fix|update|change|build|create|release|remove|prevent|use|automate|publish|ban|polish|increase|decrease|reduce|bring back|come back|stop|don't|dont|do not|put|move|rename|replace|port|open source|opensource|unify|merge|extend|expand|simplify|restore|re-enable|reenable|enable|disable)\b|(?:please |pls |plz |kindly )?(?:add|allow|support|provide|enable|include|implement|introduce|offer|bring|display|show|make it|let (?:us|users|me|developers|people)|give (?:us|users|the option)|consider|improve|integrate|expose|create an?|have an? option|ajoutez|ajouter|rajoutez|permettez|proposez|mettez|faites|pensez à|penser à|prévoyez|prevoyez|intégrez|integrez|offrez))\b/,
);
const MODAL_SUGGESTION = bounded(
  /\b(?:should (?:be|have|allow|add|support|include|provide|offer|return|let|make|show|display|work|use|get|give|also)|(?:need|needs) (?:to (?:be|have|add|allow|support)|a (?:way|button|setting|option|feature)|an (?:option|api|way)|fixing|improvement)|there (?:should|needs to) be|would be (?:much |really |very |so )?(?:nice|great|good|useful|helpful|better|preferable|awesome|cool|ideal|handy|welcome)|might be (?:nice|good|useful|helpful|better)|(?:i|we)(?:'d| would) (?:like|love) (?:to|it if|if|a|an|the|for)|(?:could|can) you (?:please )?(?:add|make|allow|include|provide|support|enable|bring|consider|implement|put)|must be (?:updated|fixed|improved|added|changed)|proposed solution|at least (?:support|allow|add|let|provide|show|give)|it would help|better if|would help|devrait|devraient|pourrait|pourraient|faudrait|serait (?:mieux|bien|utile|pratique|top|génial|genial)|(?:j'|nous )aimerions|j'aimerais|souhaiterais|souhaiterions)\b/,
);

/**
 * Requests and advice in their common English and French shapes: a wish ("I wish I could", "I'd like
 * to be able to"), a need stated for someone ("we need", "developers need", "it just needs"), an
 * obligation or a recommendation ("X should …", "must be", "you have to"), a conditional benefit
 * ("it would be so much easier", "would make sense", "would help"), a hedged proposal ("maybe add",
 * "at least", "why not").
 */
const REQUEST = bounded(
  /\b(?:(?:i|we) (?:really )?wish|(?:i|we)(?:'d| would) (?:really )?(?:like|love|prefer)|(?:i|we) (?:really )?want (?:to be able|to see|to have|an? |the ability|this|more|better|it to|them to|you to)|(?:we|i|you|u guys|you guys|developers|devs|users|people|everyone|it|app|apps|microsoft|ms|they) (?:just |really |also |badly |definitely |still )?(?:need|needs) |(?<!\bi )(?<!\bwe )should (?!not have been|have been|have known)\w+|\bmust (?:be|have|use|support|allow|include|provide|get|give|work)\b|(?:would|'d|will|might|could) (?:\w+ ){0,3}(?:be|make|seem) (?:\w+ ){0,2}(?:nice|great|greater|good|cool|awesome|helpful|helpfull|useful|easier|better|convenient|natural|handy|ideal|sensible|logical|appreciated|welcome|preferable|wonderful|beneficial|smart|simpler|faster|sense|idea|solution|improvement|addition|feature)\b|would (?:\w+ )?(?:help|allow|enable|solve|fix|improve|simplify)\b|might (?:also )?help|could (?:also )?be (?:used|added|made|automatic|improved|extended|useful|nice|better)|\bmaybe (?:you|we|they|add|warn|make|allow|provide|offer|consider|have|a|an|use|let|just|there)\b|\bat (?:the very )?least (?:provide|make|give|allow|let|add|support|show|offer|have|fix|update)\b|it is (?:essential|important|necessary|crucial|vital|critical) (?:to|that)|(?:i|we) (?:would )?(?:suggest|propose|recommend|request|ask)\b|the idea is|why (?:not|can't we|cant we|can we not|don't you|dont you)\b|(?:you|they) (?:have|need) to (?:add|make|allow|fix|provide|support|give|let|bring|update|improve|change|remove|offer|enable|release|consider)\b|il (?:faudrait|faut) (?:\w+ )?(?:ajouter|mettre|pouvoir|proposer|faire|permettre|prevoir|prévoir|ameliorer|améliorer|revoir|changer)|(?:ce|ca|ça) serait (?:\w+ )?(?:bien|top|super|cool|génial|genial|pratique|utile|mieux|chouette|sympa|idéal|ideal)|(?:vous )?devriez|pourquoi (?:ne pas|pas)|(?:j'|nous )?aimerions|j'aimerais|je souhaiterais|on aimerait|ce qui serait bien|(?:ça|ca) (?:aiderait|serait pratique)|merci de (?:bien vouloir |)(?:ajouter|mettre|proposer|corriger|prévoir|prevoir|remettre))/,
);

/**
 * Service failures in the words customers use to a brand: something no longer works or never came,
 * a wait, a charge, a lock-out, and the "why is my …" / "where is my …" / "what gives" forms.
 */
const SERVICE_FAILURE = bounded(
  /\b(?:no longer (?:\w+ )?(?:work|works|working|can|able|available|recognized|recognised|loads?|shows?|exists?|supported)|not being (?:able|allowed|delivered|shipped|sent|processed|refunded|honou?red|accepted)|(?:wasn't|was not|weren't|not|never) (?:able to|allowed to)|(?:won't|wont|will not|can't|cant|cannot) (?:take|accept|get|access|log|sign|connect|download|install|use|find|reach|see|open|pay|order|book|load)|(?:hasn't|hasnt|has not|haven't|havent|have not|still has not|still hasn't|still not|hasen't) (?:even )?(?:been )?(?:arrived|dispatched|delivered|shipped|received|processed|refunded|credited|responded|replied|heard|come|answered|fixed|resolved|sent)|yet to (?:receive|hear|get|be)|why (?:is|are|does|did|do|would|has|have|was|were|isn't|isnt|doesn't|doesnt|won't|wont|can't|cant|you|u) (?:my|you|your|u|the|it|this|there|i|we|so|no)\b|where(?:'s| is) my\b|what gives|what'?s up with (?:that|this)|how come|\d+ ?(?:hrs?|hours?|mins?|minutes?|days?|weeks?) late|(?:running|arrived|arriving) late|late by|waiting (?:on|for) (?:a |my |your |the )?(?:reply|response|answer|refund|order|package|parcel|delivery|call|callback|email|update)|been waiting|locked out|(?:got|been|was|were|am) (?:banned|suspended|blocked|charged|overcharged|billed|cut off|disconnected|stranded|cancell?ed)|(?:money|payment) (?:was |has been )?(?:taken|deducted|debited)|charged (?:for|me|twice|again|double)|double charged|kept (?:saying|telling|thinking|asking|failing|crashing|dropping|cancell?ing)|went (?:out|off|dead) (?:on me)?|switched off|stopped (?:working|charging|loading|responding|showing)|not (?:showing|shown|displaying|working|loading|responding|available|recognized|recognised|charging|syncing|updating|connecting|arriving|delivered)|(?:beyond|so|really|very) (?:pissed|frustrated|angry|annoyed|disappointed|upset|mad)|pissed off|regret(?:ting|ted)? (?:to |buying|purchasing|ordering|my)|not (?:exactly |very |too |at all )?(?:thrilled|happy|impressed|pleased|satisfied)|subpar|sub-par|inadequate|no excuse|debacle|held hostage|any updates?\b|improperly|incorrectly|wrongly|given away|my (?:complaint|claim|case|ticket)|failure\b|no (?:one|body) (?:has|is|will|can) (?:help|answer|respond|reply|call)|no help|still (?:happening|charging|showing|waiting|no|not)|toujours pas (?:recu|reçu|arrive|arrivé|livre|livré|rembourse|remboursé)|(?:pourquoi|comment se fait[- ]il que) (?:ma|mon|mes|vous|on|je)\b|o(?:u|ù) est (?:ma|mon)\b|(?:ne|n') (?:fonctionne|marche|s'affiche|charge|repond|répond)|(?:été|ete|suis|sommes) (?:débité|debite)e?s?|(?:débité|debite)e?s? (?:deux fois|sans|alors|mais|à tort|a tort|deux)|prélevé deux fois|bloqué|bloque|suspendu|coupé|coupe depuis)/,
);

/**
 * Unmet expectations, repeats and delays, in the general shapes a customer uses: "was supposed to
 * arrive", "should have received", "yet another", "once again", "still trying", "days late", "no
 * response", "never ordering from you again", a refund, a cancellation, a charge.
 */
const UNMET = bounded(
  /\b(?:(?:was|were|is|are) (?:supposed|meant) to|should(?:'ve| have) (?:been|received|arrived|got|gotten|had)|yet another|once again|(?:again|twice|three times) (?:today|this week|this month)|still (?:trying|can't|cant|cannot|don't|dont|doesn't|doesnt|haven't|havent|hasn't|hasnt|no sign|nothing)|(?:\d+|two|three|four|five|ten|twenty|thirty|forty|several|many|few) (?:days|weeks|months|hours|minutes|mins) (?:late|later|now|and still|and nothing|without)|(?:won't|wont) (?:even |always |ever )?(?:stay|work|turn|let|load|connect|charge|start|open|accept|take|show|print|play|sync|update|respond|answer|fix|refund|honou?r|send)|(?:pls|please|kindly) (?:assist|check my dm|look into)|(?:keep|keeps|stop) (?:sending|calling|charging|emailing|texting)|unreliable|impossible to|(?:happened|happening|down|broken|late|wrong|crashed|crashing|charged|cancell?ed|failed|failing|delayed|missing) again|(?:for|over|more than|almost|nearly) (?:\d+|an?|two|three|four|five|six|ten|several|many) (?:hours?|days?|weeks?|months?) (?:now|already|and)|since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last (?:week|month|night)|this morning|early)|how long (?:does|do|will|until|before|is it going to)|endless loop|non ?existent|expired|how (?:can|do) i (?:fix|get rid of|stop)|not (?:getting|receiving|had|heard) (?:any|a)? ?(?:response|reply|answer|help|update|word)|no (?:response|reply|answer) (?:yet|from|to)|(?:haven't|havent|have not|never) heard back|never (?:using|buying|ordering|flying|shopping|booking|again)|(?:want|need|waiting for|still no|where is|get) (?:a |my )?(?:refund|money back|replacement)|(?:cancel|cancelled|canceled|cancelling|canceling) (?:my|our|the) (?:order|account|subscription|flight|booking|plan)|(?:charged|billed) (?:me )?(?:for|twice|double|again|without)|(?:how|so|really|very) (?:bad|poor|slow|terrible)|my (?:order|package|parcel|delivery|account|card|phone|bill|flight|bag|luggage|payment|refund|internet|connection|router|laptop|car|booking|reservation|subscription|item|food|app) (?:is|was|has|had|won't|wont|keeps|hasn't|hasnt|didn't|didnt|never|still|got|isn't|isnt|wasn't|wasnt|doesn't|doesnt)|ça fait (?:\d+|deux|trois|plusieurs) (?:jours|semaines|mois)|(?:encore|toujours) (?:une fois|rien|pas|en attente)|(?:aurait|aurais) (?:du|dû) (?:arriver|recevoir|etre|être))\b/,
);

const ADDRESSED = /(?:^|\s)\.?@\w/;

/** What a customer asks a brand about: an order, a delivery, a trip, an account, a bill. */
const SERVICE_NOUN = bounded(
  /\b(?:orders?|refunds?|deliver(?:y|ies)|package|parcel|shipment|tracking|trains?|flights?|bus|buses|tram|plane|luggage|bags?|account|app|website|site|bill|billing|payment|booking|reservation|subscription|service|internet|wifi|wi-fi|connection|signal|broadband|phone|card|claim|ticket|engineer|technician|driver|replacement|reply|response|callback)\b/,
);
/** A question put to an @account about that service: "@rail why is the 8:10 train …", "@shop when will my order …". */
const SERVICE_QUESTION = bounded(
  /\b(?:why|when|how long|where|what happened|what is happening|what's happening|what's going on|what is going on)\b/,
);
/** A verb negated: "isn't", "never", "can't" — what was expected of the service did not happen. */
const NEGATED_VERB = bounded(
  /\b(?:not|never|nobody|isn't|isnt|wasn't|wasnt|didn't|didnt|hasn't|hasnt|haven't|havent|can't|cant|won't|wont|doesn't|doesnt)\b/,
);

/**
 * A service matter raised with an @account: the customer asks the brand why/when/where about an order,
 * a train, an account ("@rail when is the next train coming"), or says it did not happen ("@shop my
 * refund never came"). Said to the brand's account, these are complaints even without a problem word.
 */
function serviceMatterToAccount(text: string, sentence: string): boolean {
  if (!ADDRESSED.test(text) || !SERVICE_NOUN.test(sentence)) return false;
  return SERVICE_QUESTION.test(sentence) || NEGATED_VERB.test(sentence);
}

/**
 * Expectations breached without a problem word: the time gone by since a promise ("it's been 9 days",
 * "that was 5 weeks ago", "it's day four"), what was not even done ("didn't even say sorry", "not even
 * a reply"), a status that still says the same ("tracking still says processing"), and a charge ("now
 * charging £7 for …", "charging extra").
 */
const BREACH = bounded(
  /\b(?:it'?s been (?:over |almost |nearly |more than |about )?(?:\d+|an?|two|three|four|five|six|seven|eight|nine|ten|several) ?(?:hours?|hrs?|days?|weeks?|months?|mins?|minutes?)|(?:that|this) was (?:\d+|two|three|four|five|six|a|an) (?:hours?|days?|weeks?|months?) ago|(?:\d+|two|three|four|five) (?:hours?|days?|weeks?|months?) since|it'?s (?:day|week) (?:\d+|two|three|four|five|six)|(?:day|week) (?:\d+|two|three|four|five|six) (?:of|without)|it(?:'s| is) (?:now )?the \d{1,2}(?:st|nd|rd|th)|it(?:'s| is) (?:now|already) \d{1,2}(?::\d\d)? ?(?:am|pm)?|(?:today|it) is (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december)|didn't even (?:say|mention|bother|apologi[sz]e|look|listen|call|reply|respond|tell)|not even (?:a|an|one) (?:sorry|apology|email|reply|call|response|text)|(?:status|tracking|tracker|app|page|site|website|screen|account|order|system|it|label|form|email|bill|card|meter|sign|board) still (?:says|shows|showing|saying)|still (?:getting|get|only|full))\b|\bcharging (?:£|\$|€|\d|for\b|extra\b|a fee\b|me\b|us\b)/,
);
/** The same thing happening once more, said at the end of a clause ("the app's down again.") or shouted ("AGAIN"). */
const AGAIN_AT_END = /(?:^|[\s,])again(?:\.|\s*$)/;
const AGAIN_SHOUTED = /\bAGAIN\b/;
/** The author blames themself ("my own fault", "by mistake"): a mishap told, not a complaint about a service. */
const OWN_FAULT = bounded(
  /\b(?:my (?:own )?fault|my bad|my mistake|by (?:mistake|accident)|accidentally|i'm the problem|totally my|entirely my|our fault)\b/,
);

/** How sure the comment is a complaint (0: it is not), from the cues found and the sentiment. */
function complaintScore(
  text: string,
  sentence: string,
  sentiment: SentimentResult,
  complaintCue: boolean,
  problemCue: boolean,
): number {
  // The author says the fault is theirs: a mishap told, not a complaint about a service.
  if (OWN_FAULT.test(sentence)) return 0;
  // Sarcasm ("great customer service, 48 minutes on hold") carries positive words: a named problem wins.
  if (complaintCue && (sentiment.neg >= sentiment.pos || problemCue)) return sentiment.neg > 0 ? 0.8 : 0.65;
  if (problemCue && sentiment.pos <= sentiment.neg + 2) return 0.6;
  if (sentiment.neg >= 3 && sentiment.pos < 1) return 0.55;
  // Negative words addressed to an account ("@brand your app …") are a complaint to that account.
  if (ADDRESSED.test(text) && sentiment.neg >= 1.2 && sentiment.neg > sentiment.pos + 0.5) return 0.55;
  return 0;
}

/** Named problems: a broken thing, a missing thing, a refused thing, a wait. */
const PROBLEM = bounded(
  /\b(?:stopped (?:working|charging|loading|responding)|(?:won't|wont|will not|can't|cant|cannot|couldn't|couldnt|unable to|not able to|doesn't|doesnt|does not|didn't|didnt|did not|isn't|isnt|is not|not) (?:turn on|load|work|working|open|connect|start|charge|let me|allow me|accept|show|update|sync|log ?in|sign ?in|print|play|send|receive|be used|find|get through|reply|respond|help|fixed|arrived?|delivered|refunded)|not letting me|keeps? (?:telling|saying|crashing|failing|asking|dropping|freezing|logging|cancel+ing|charging|happening|getting)|(?:no|without) (?:internet|service|signal|power|water|heat|wifi|wi-fi|tv|email|e-mail|response|reply|answer|update|updates|news|refund|confirmation|delivery|cheese|way to)|(?:error|errors|issue|issues|problem|problems|glitch|outage|outages|fault|faulty|defective|damaged|broke|broken|stuck|lag|lagging|frozen|freezes|freezing|crashed|falling apart|ripped|leaking|cold food|overcharged|refused|denied|declined|cancel+ed|mistreated|misleading|false advertising|hung up|on hold|hold for|no show|rude|dissatisfied|unhappy|not happy|nothappy|not impressed|fail|failed|epic fail|ripoff|rip-off|sucks?|suck(?:ed|ing)|wtf|what the (?:fuck|hell|heck)|seriously|smh|ugh|again\?|yet again|every time|each time|still (?:no|not|nothing|waiting|broken|down|charging)|hours? (?:late|delay|wait)|days? (?:late|later|delay|wait)|weeks? (?:late|later|wait)|need help|help!|please (?:help|fix|explain|respond|reply|sort|resolve|advise)|plz help|pls help|panne|erreur|bloqué|bloque|impossible de|n'arrive pas|n'arrive plus|ne répond|ne repond|aucune nouvelle|pas de (?:réponse|reponse|nouvelles|remboursement|livraison|connexion|réseau|reseau|internet)|coupure|cassé|casse|abîmé|abime|endommagé|défectueux|defectueux|manquant|facturé deux fois|prélevé|preleve|refusé|refuse|déçue?|decue?|pas content|mécontent|mecontent|galère|galere|ça craint|ca craint|n'importe quoi|c'est une blague|toujours en attente))\b/,
);

export function detectIntent(text: string, sentiment: SentimentResult): IntentResult {
  const t = text.toLowerCase();
  const scores = new Map<Intent, number>();
  const sentence = t.replace(/https?:\/\/\S+/g, ' ').trim();
  const parts = clauses(sentence);
  const qmark = /\?/.test(sentence) || /¿/.test(sentence);
  let question = 0;
  if (qmark) question = EXCLAMATIVE.test(sentence) && !/\?\s*\S/.test(sentence) ? 0.4 : 0.85;
  if (
    parts.some(
      (c) =>
        QUESTION_START.test(c) &&
        !EXCLAMATIVE.test(c) &&
        !THIRD_PERSON.test(c) &&
        (qmark || invertedEnough(c)),
    )
  )
    question = Math.max(question, qmark ? 0.95 : 0.6);
  if (!qmark && parts.some(namedQuestion)) question = Math.max(question, 0.55);
  if (QUESTION_INSIDE.test(sentence)) question = Math.max(question, qmark ? 0.95 : 0.55);
  if (qmark && EMBEDDED_WH.test(sentence)) question = Math.max(question, 0.95);
  if (question >= 0.5) scores.set('question', question);
  if (SUGGESTION.test(sentence)) scores.set('suggestion', 0.8);
  else if (
    parts.some((c) => IMPERATIVE_SUGGESTION.test(c)) ||
    MODAL_SUGGESTION.test(sentence) ||
    REQUEST.test(sentence)
  )
    scores.set('suggestion', 0.6);
  const complaintCue = COMPLAINT.test(sentence);
  const problemCue =
    PROBLEM.test(sentence) ||
    SERVICE_FAILURE.test(sentence) ||
    UNMET.test(sentence) ||
    serviceMatterToAccount(text, sentence) ||
    BREACH.test(sentence) ||
    AGAIN_AT_END.test(sentence) ||
    AGAIN_SHOUTED.test(text);
  const complaint = complaintScore(text, sentence, sentiment, complaintCue, problemCue);
  if (complaint > 0) scores.set('complaint', complaint);
  if (PRAISE.test(sentence) && sentiment.pos > sentiment.neg && !scores.has('complaint'))
    scores.set('praise', 0.75);
  else if (sentiment.pos >= 3 && sentiment.neg === 0 && !scores.has('question')) scores.set('praise', 0.6);

  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return { intent: 'other', intents: ['other'], confidence: 0.5 };
  // A complaint phrased as a question is routed as a complaint first: it needs the support team and an apology.
  const hasComplaint = scores.has('complaint');
  const order = hasComplaint
    ? [
        ranked.find(([i]) => i === 'complaint') as [Intent, number],
        ...ranked.filter(([i]) => i !== 'complaint'),
      ]
    : ranked;
  const [primary, conf] = order[0] as [Intent, number];
  return { intent: primary, intents: order.map(([i]) => i), confidence: conf };
}
