import { describe, expect, it } from 'vitest';
import { classifyLocally } from '../../../shared/classify/local-engine.ts';
import { fold, tokens } from '../../../shared/classify/normalize.ts';
import { scoreSentiment } from '../../../shared/classify/sentiment.ts';

function sentimentOf(text: string, language = 'en') {
  return scoreSentiment(text, tokens(fold(text)), language);
}

describe('sentiment: French words read in their French sense', () => {
  it('reads plain nouns and adverbs the translation gave a valence as no stance', () => {
    // "chaleur" (heat), "qualité", "jeune", "direction", "vraiment" carry no verdict on their own.
    expect(
      sentimentOf('La chaleur revient jeudi, indice de qualité de l’air publié par la direction', 'fr').label,
    ).toBe('neutral');
    expect(sentimentOf('Un jeune chercheur présente son roman vraiment en détail', 'fr').label).toBe(
      'neutral',
    );
  });

  it('reads a city, a name and a stem caught by mistake as no stance', () => {
    expect(sentimentOf('Le train pour Nice part de la voie 4', 'fr').label).toBe('neutral');
    expect(sentimentOf('La déchetterie rouvre ses horaires progressivement', 'fr').pos).toBeLessThan(1.5);
    expect(sentimentOf('Camping sauvage interdit sur la côte', 'fr').pos).toBe(0);
  });

  it('reads "terrifiant" as frightening, not terrific', () => {
    expect(sentimentOf('Ce nouveau rapport est terrifiant', 'fr').label).toBe('negative');
  });

  it('keeps "jamais" a negator without bad news of its own', () => {
    // "jamais" negates what follows; alone it says nothing bad.
    expect(sentimentOf('On ne sait jamais, je garde le billet', 'fr').label).toBe('neutral');
    // Near miss: what it negates is still read.
    expect(sentimentOf('Le bus ne vient jamais à l’heure, c’est nul', 'fr').label).toBe('negative');
  });

  it('reads everyday French verdicts the translated list lacks', () => {
    expect(sentimentOf('Trois heures pour rentrer, quelle galère', 'fr').label).toBe('negative');
    expect(sentimentOf('Franchement relou ces travaux', 'fr').label).toBe('negative');
    expect(sentimentOf('Le concert était ouf, chapeau aux musiciens', 'fr').label).toBe('positive');
    expect(sentimentOf('Service nickel, livré en deux jours', 'fr').label).toBe('positive');
    // Near miss: "pas ouf" is the negation of the praise.
    expect(sentimentOf('Pas ouf ce nouveau menu', 'fr').label).toBe('negative');
  });

  it('keeps the French-only words out of the English lexicon', () => {
    // "rate", "grace" and "nickel" are plain English words.
    expect(sentimentOf('The interest rate stays at four percent').label).toBe('neutral');
    expect(sentimentOf('Grace paid with a nickel').label).toBe('neutral');
  });
});

describe('sentiment: English words a French stem caught', () => {
  it('reads Tuesday, a mortgage or a property as no stance', () => {
    expect(sentimentOf('Meeting moved to Tuesday').label).toBe('neutral');
    expect(sentimentOf('Mortgage rates for the property were published').label).toBe('neutral');
  });

  it('still reads the French stems in French', () => {
    expect(sentimentOf('Trois personnes tuées dans l’accident', 'fr').label).toBe('negative');
  });
});

describe('sentiment: denied disappointment and unbeaten comparatives', () => {
  it('reads a denied disappointment as praise', () => {
    expect(sentimentOf('This bakery never disappoints').pos).toBeGreaterThan(0);
    expect(sentimentOf('No regrets at all about switching').label).toBe('positive');
    expect(sentimentOf('I was not disappointed by the sequel').label).toBe('positive');
  });

  it('reads "couldn\'t be happier" as the superlative', () => {
    expect(sentimentOf("Couldn't be happier with the new flat").label).toBe('positive');
    expect(sentimentOf("Walks on the beach don't get better than this").label).toBe('positive');
  });

  it('leaves the plain disappointment and a denied comparative without be/get negative', () => {
    // Near misses: the disappointment is asserted; "not better" is a plain comparison that lost.
    expect(sentimentOf('I was disappointed by the sequel').label).toBe('negative');
    expect(sentimentOf('The update is not better than the old version').pos).toBe(0);
  });
});

describe('sentiment: a comment that asks', () => {
  it.each([
    "What's the best way to get from the station to the venue?",
    'Is the new saddle worth it if I already have the old one?',
    'Can anyone recommend a good repair shop near Lyon?',
  ])('stays neutral when its good words are what it asks about: "%s"', (text) => {
    expect(classifyLocally({ text }).sentiment.label).toBe('neutral');
  });

  it('still reads praise that ends on a question with an exclamation', () => {
    expect(classifyLocally({ text: 'This is the best ride ever!! Who else loved it?' }).sentiment.label).toBe(
      'positive',
    );
  });

  it('still reads a question that complains as negative', () => {
    expect(classifyLocally({ text: 'Why is the app still broken after the update?' }).sentiment.label).toBe(
      'negative',
    );
  });
});

describe('sentiment: French news of a change, good-news words and degree words', () => {
  it('reads a fall of a cost or a harm as good news and its rise as bad news', () => {
    expect(sentimentOf('Les factures de chauffage en baisse de 20 % cet hiver', 'fr').label).toBe('positive');
    expect(sentimentOf('Le nombre de chômeurs diminue encore dans le canton', 'fr').label).toBe('positive');
    expect(sentimentOf('Les loyers augmentent de 6 % à la rentrée', 'fr').label).toBe('negative');
  });

  it('reads a fall of income or of a budget as bad news and its rise as good news', () => {
    expect(sentimentOf('Le budget des bibliothèques baisse de 10 %', 'fr').label).toBe('negative');
    expect(sentimentOf('Hausse des salaires de 4 % chez le transporteur', 'fr').label).toBe('positive');
  });

  it('leaves a change with nothing it measures to the words around it', () => {
    // Near miss: no cost, harm or income named, so "baisse" keeps its plain reading and the rule adds nothing.
    const alone = sentimentOf('Le rideau de fer baisse à 19 heures', 'fr');
    expect(alone.pos).toBe(0);
    // English is untouched: "prix" and "baisse" mean nothing there.
    expect(sentimentOf('Les factures de chauffage en baisse').pos).toBe(0);
  });

  it('reads news of a closure or lay-offs as bad, an opening or hiring as good', () => {
    expect(sentimentOf('Fermeture de la piscine municipale en juin', 'fr').label).toBe('negative');
    expect(sentimentOf('Licenciements annoncés dans la fonderie', 'fr').label).toBe('negative');
    expect(sentimentOf('Inauguration de la nouvelle médiathèque samedi', 'fr').label).toBe('positive');
    expect(sentimentOf('Un démarrage très prometteur pour la saison', 'fr').label).toBe('positive');
  });

  it('reads "bien" and "super" before a verdict as degree words, not praise', () => {
    // "bien triste": the sadness, made stronger, not praise against it.
    expect(sentimentOf('C’est bien triste pour le quartier', 'fr').label).toBe('negative');
    expect(sentimentOf('Super déçue par la finale', 'fr').label).toBe('negative');
    // Near miss: alone, they still praise.
    expect(sentimentOf('Le concert était super', 'fr').label).toBe('positive');
    expect(sentimentOf('Ça marche bien', 'fr').label).toBe('positive');
  });
});

describe('sentiment: negation stays inside its sentence', () => {
  it('does not carry a negator over a full stop', () => {
    // "Not kidding." closes before the praise that follows it.
    expect(sentimentOf('Not kidding. Thrilled with the new bus route.').label).toBe('positive');
    expect(sentimentOf('Pas de blague. Ravie de la nouvelle ligne de bus.', 'fr').label).toBe('positive');
  });

  it('still negates inside the sentence', () => {
    // Near miss: the same words without the full stop are negated.
    expect(sentimentOf('Not thrilled with the new bus route.').label).toBe('negative');
    expect(sentimentOf('Installed it. The update is not good.').label).toBe('negative');
  });
});

describe('sentiment: English words read off our new examples', () => {
  it('reads "finally" and praise AFINN lacks as positive', () => {
    expect(sentimentOf('The bridge reopened today. Finally.').label).toBe('positive');
    expect(sentimentOf('A well deserved award for the volunteers').label).toBe('positive');
    expect(sentimentOf('That second half was a masterclass').label).toBe('positive');
  });

  it('reads "Supreme Court" and a "top" official as no stance', () => {
    expect(sentimentOf('Supreme Court to hear the appeal in March').label).toBe('neutral');
    expect(sentimentOf('Top officials meet in Geneva on Thursday').label).toBe('neutral');
    // Near miss: a verdict next to them is still read.
    expect(sentimentOf('The Supreme Court ruling is a disgrace').label).toBe('negative');
  });

  it('reads "!!" with no other word of stance as excitement', () => {
    expect(sentimentOf('Tickets for Saturday!!!').label).toBe('positive');
    // Near miss: one "!" is not enough, and "!!" does not outweigh a complaint.
    expect(sentimentOf('Tickets for Saturday!').label).toBe('neutral');
    expect(sentimentOf('Flight cancelled again!!').label).toBe('negative');
    // French is left as it was: no gain was seen there.
    expect(sentimentOf('Billets pour samedi !!', 'fr').label).toBe('neutral');
  });
});

describe('sentiment: French repeats and verb endings', () => {
  it('reads "encore" as one more of the same', () => {
    expect(sentimentOf('Encore une coupure de courant dans le quartier', 'fr').label).toBe('negative');
    // Near miss: a praise word outweighs it.
    expect(sentimentOf('Encore bravo aux bénévoles, génial', 'fr').label).toBe('positive');
  });

  it('meets a verb in the plural or the imperfect on its listed form', () => {
    expect(sentimentOf('Les enfants adorent la nouvelle cour', 'fr').label).toBe('positive');
    expect(sentimentOf('Les riverains détestent ce parking', 'fr').label).toBe('negative');
    expect(sentimentOf('Mon grand-père adorait ce marché', 'fr').label).toBe('positive');
    // Near miss: a word ending in -ent that is no verb of the lists stays neutral.
    expect(sentimentOf('Le parent attend souvent devant le portail', 'fr').label).toBe('neutral');
  });
});
