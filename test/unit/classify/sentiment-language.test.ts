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

describe('sentiment: French service conversations read as no stance', () => {
  // Plain questions, brand replies and order updates, written for this test: one word of the translated
  // list used to decide each ("pression conseillée", "commande enregistrée", "retrait en magasin",
  // "au plus tard", "louer un vélo", "le support", "service concerné", "pièces détachées"…).
  const SERVICE = [
    'Bonjour, pouvez-vous nous écrire en message privé avec votre numéro de commande ?',
    'Quelle est la pression conseillée pour les pneus de ce modèle ?',
    'Votre commande a été enregistrée, vous serez averti par mail lors de l’expédition.',
    'La date de livraison estimée est le 14 mars.',
    'Le retrait en magasin est possible sous 2 heures.',
    'Votre colis sera livré au plus tard vendredi.',
    'Nous revenons vers vous plus tard dans la journée.',
    'Est-ce que la garantie couvre la batterie ?',
    'Combien coûte la location ? Je voudrais louer un vélo pour le week-end.',
    'Vous pouvez contacter le support au 01 23 45 67 89.',
    'Les pièces détachées sont disponibles sur notre site.',
    'Pensez à joindre un justificatif de domicile à votre dossier.',
    'Indiquez le numéro de commande dans l’intitulé du virement.',
    'Pouvez-vous me laisser votre adresse mail en privé ?',
    'Le paiement en trois fois est disponible à partir de 100 euros.',
    'L’encaissement a lieu à l’expédition de la commande.',
    'Est-ce possible de reporter mon rendez-vous à jeudi ?',
    'Nous allons vous prévenir dès que l’article sera de nouveau en stock.',
    'Vous trouverez le formulaire de retour dans votre espace client.',
    'Le magasin est ouvert du lundi au samedi de 9h à 19h.',
    'Le dérailleur arrière est-il compatible avec une cassette 12 vitesses ?',
    'Le responsable du magasin vous rappellera demain matin.',
    'Pour poursuivre votre commande, cliquez sur valider le panier.',
    'Quelle est la capacité de la batterie en Wh ?',
    'Le vélo est-il disponible en gris ou en noir ?',
    'Le sac à dos fait quelle taille exactement ?',
    'Vous pouvez suivre votre colis avec le lien reçu par SMS.',
    'Avez-vous des réductions pour les étudiants ?',
    'Quel est le prix brut et le prix net de l’abonnement ?',
    'Faut-il nettoyer la chaîne après chaque sortie sous la pluie ?',
    'Le cadre est composé d’aluminium et de carbone.',
    'Il faut saisir le code reçu par SMS pour valider le paiement.',
    'Pouvez-vous vérifier la taille ? Je fais 1m80.',
    'Le modèle électrique est-il plus lourd que le modèle classique ?',
    'Nous vous invitons à consulter notre page d’aide.',
    'Votre abonnement se renouvelle automatiquement le 1er de chaque mois.',
    'Le ventilateur du boîtier fait-il du bruit ?',
    'Je voudrais savoir si la livraison est possible en Belgique.',
    'Pour modifier votre adresse, rendez-vous dans votre compte.',
    'La plateforme sera en maintenance dimanche de 2h à 4h.',
    'Le support de téléphone se fixe sur le guidon.',
    'Il est important de garder votre ticket de caisse.',
    'Votre demande a été transmise au service concerné.',
    'Le vélo est livré monté, il reste juste à régler le guidon.',
    'Quelles sont les dimensions du carton d’expédition ?',
    'Votre rendez-vous atelier est confirmé pour mardi à 10h.',
    'Nous pouvons garantir un délai de 48 heures en Île-de-France.',
    'La peau sensible supporte-t-elle ce produit ?',
    'Je souhaite résilier mon abonnement, quelle est la marche à suivre ?',
    'Le nouveau catalogue sera en ligne la semaine prochaine.',
    'Ce modèle est-il livré avec un antivol ?',
    'Il suffit de tirer la manette vers le bas pour libérer la roue.',
    'Le hall d’entrée du magasin donne sur la rue.',
    'Le dossier est en cours de traitement par notre équipe.',
    'Votre carte de fidélité vous donne droit à la livraison offerte.',
    'Le code promo s’applique au moment de régler votre panier.',
    'La facture est disponible en téléchargement dans l’onglet commandes.',
    'Pouvez-vous nous envoyer une photo de l’étiquette du colis ?',
    'Le point relais le plus proche se trouve rue de la Gare.',
    'L’échange de taille est gratuit sous 30 jours.',
    'Le frein avant doit être réglé lors de la première révision.',
    'Les horaires d’été s’appliquent à partir du 1er juillet.',
    'Le produit sera de nouveau disponible à la fin du mois.',
    'Vous pouvez annuler le prélèvement depuis votre espace abonné.',
    'Le service client est joignable par téléphone du lundi au vendredi.',
    'Le casque est-il vendu avec une visière ?',
    'La batterie se recharge en quatre heures environ.',
    'Nous vous conseillons de vérifier la pression avant chaque sortie.',
    'Votre colis est en cours d’acheminement vers le point de retrait.',
    'La commande partira de notre entrepôt demain.',
    'Le montant sera débité à l’expédition.',
    'Je voudrais changer l’adresse de livraison de ma commande.',
    'Est-ce que vous livrez le dimanche ?',
    'Le mot de passe doit contenir au moins huit caractères.',
    'L’abonnement annuel est payable en une seule fois.',
    'Le technicien passera entre 8h et 12h.',
    'Quel est le délai de fabrication pour une roue sur mesure ?',
    'Les pneus de route sont en rayon au fond du magasin.',
    'Votre numéro de suivi vous sera envoyé par mail.',
    'Le vélo peut être retiré en magasin à partir de demain.',
    'Pouvez-vous confirmer la référence du chargeur ?',
    'Le formulaire de rétractation est joint à la facture.',
    'Nous vous proposons un rendez-vous à l’atelier jeudi à 14h.',
    'Le produit est expédié depuis notre entrepôt de Lyon.',
    'Les modalités de la garantie sont indiquées dans la notice.',
    'La selle est réglable en hauteur et en profondeur.',
    'Je cherche un cadenas en U pour un vélo cargo.',
    'Le stock est mis à jour chaque matin.',
    'Un mail de confirmation vous a été envoyé.',
    'Votre avis compte pour nous : répondez au questionnaire en deux minutes.',
    'Nos conseillers sont disponibles en boutique pour vous orienter.',
    'La batterie est garantie deux ans pièces et main-d’œuvre.',
    'Le prix affiché comprend la TVA et l’éco-participation.',
    'Pouvez-vous m’indiquer le poids du vélo sans la batterie ?',
    'Le colis pèse trois kilos et mesure un mètre.',
  ];

  it('reads plain service questions, replies and order updates as neutral', () => {
    const polar = SERVICE.filter((t) => sentimentOf(t, 'fr').label !== 'neutral');
    expect(polar).toEqual([]);
  });

  it('still reads a verdict said with the same words', () => {
    // Near misses: the service words stay neutral, the verdict next to them decides.
    expect(sentimentOf('Livré trop tard, c’est inadmissible', 'fr').label).toBe('negative');
    expect(sentimentOf('Retrait en magasin impossible, quelle galère', 'fr').label).toBe('negative');
    expect(sentimentOf('Le responsable du magasin a été super, je recommande', 'fr').label).toBe('positive');
    expect(sentimentOf('Je ne supporte plus ce vélo, il est nul', 'fr').label).toBe('negative');
  });

  it('keeps "tard" a mild word that a degree word can still make a complaint of', () => {
    expect(sentimentOf('Votre colis sera livré au plus tard vendredi', 'fr').label).toBe('neutral');
    expect(sentimentOf('Trop tard pour la fête, colis arrivé lundi', 'fr').neg).toBeGreaterThan(0);
  });
});

describe('sentiment: English "killed it" praises', () => {
  it('reads "killed it", "smashing it", "rocked it" as a job done superbly', () => {
    expect(sentimentOf('The drummer absolutely killed it at the gig last night').label).toBe('positive');
    expect(sentimentOf('my little brother is smashing it at his new school').label).toBe('positive');
    expect(sentimentOf('You rocked it up there').label).toBe('positive');
  });

  it('still reads the same verbs without "it" as harm', () => {
    // Near misses: no "it" after the verb, so "killed" and "crushed" keep their own valence.
    expect(sentimentOf('Two people killed in the crash on the ring road').label).toBe('negative');
    expect(sentimentOf('He was killed at the front in 1916').label).toBe('negative');
  });
});
