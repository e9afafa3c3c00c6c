/**
 * The demo's community day at Vélo Lumière: members' comments in French and English, with fixed
 * ids so that running the demo twice changes nothing. Written for the demo; `reply` marks a
 * brand account answering the comment with that id.
 */
export interface DemoComment {
  id: string;
  author: string;
  text: string;
  /** Minutes before the demo's reference time. */
  ago: number;
  replyTo?: string;
}

const BRAND = 'velolumiere-support';
const CM = 'velolumiere-cm';

export const DEMO_COMMENTS: DemoComment[] = [
  {
    id: 'd-001',
    author: 'camille.r',
    ago: 300,
    text: "Bonjour, pourquoi ma commande du 12 n'est toujours pas arrivée ? Ça fait trois semaines.",
  },
  {
    id: 'd-002',
    author: BRAND,
    ago: 280,
    replyTo: 'd-001',
    text: 'Bonjour Camille, nous regardons votre commande tout de suite et revenons vers vous en message privé.',
  },
  {
    id: 'd-003',
    author: 'julien_b',
    ago: 295,
    text: 'Quelle est la pression conseillée pour les pneus du modèle Ville 2 ?',
  },
  {
    id: 'd-004',
    author: BRAND,
    ago: 250,
    replyTo: 'd-003',
    text: 'Bonjour Julien, entre 3,5 et 4,5 bars selon votre poids. Bonne route !',
  },
  {
    id: 'd-005',
    author: 'marie.l',
    ago: 290,
    text: "Ce serait génial d'avoir un porte-bagages avant en option sur le modèle Cargo.",
  },
  {
    id: 'd-006',
    author: 'tom_h',
    ago: 288,
    text: 'Absolutely love my new Lumière Trek, best purchase this year!',
  },
  {
    id: 'd-007',
    author: 'sophie.d',
    ago: 285,
    text: 'La batterie de mon vélo chauffe beaucoup pendant la charge, est-ce normal ?',
  },
  {
    id: 'd-008',
    author: BRAND,
    ago: 270,
    replyTo: 'd-007',
    text: "Bonjour Sophie, débranchez le chargeur par précaution, notre équipe technique vous appelle aujourd'hui.",
  },
  {
    id: 'd-009',
    author: 'nico75',
    ago: 280,
    text: 'Franchement le service client est nul, personne ne répond au téléphone depuis lundi.',
  },
  { id: 'd-010', author: 'emma_w', ago: 275, text: 'How long does shipping to Belgium usually take?' },
  {
    id: 'd-011',
    author: BRAND,
    ago: 240,
    replyTo: 'd-010',
    text: 'Hi Emma, shipping to Belgium takes 3 to 5 working days.',
  },
  {
    id: 'd-012',
    author: 'lucas.m',
    ago: 272,
    text: 'Vous pourriez ajouter une application pour suivre les trajets et la batterie ?',
  },
  {
    id: 'd-013',
    author: 'troll4242',
    ago: 270,
    text: 'Espèce de bande de nuls, vous êtes tous des escrocs, allez vous faire voir',
  },
  {
    id: 'd-014',
    author: 'paul_g',
    ago: 268,
    text: 'Merci pour la réparation express, le vélo roule comme au premier jour !',
  },
  {
    id: 'd-015',
    author: 'chloe.v',
    ago: 265,
    text: 'Est-ce que la garantie couvre le moteur si je roule sous la pluie ?',
  },
  {
    id: 'd-016',
    author: 'ben_k',
    ago: 262,
    text: 'The brake lever on my Ville 2 broke after two weeks. Really disappointed.',
  },
  {
    id: 'd-017',
    author: BRAND,
    ago: 200,
    replyTo: 'd-016',
    text: "Sorry to hear that Ben, we're sending a replacement lever today, free of charge.",
  },
  {
    id: 'd-018',
    author: 'crypto_gains',
    ago: 260,
    text: 'Make $500 a day from home!!! DM me or visit http://quick-cash.example/join now',
  },
  {
    id: 'd-019',
    author: 'ines.b',
    ago: 258,
    text: "Une idée : proposer des ateliers d'entretien le samedi en magasin.",
  },
  { id: 'd-020', author: 'hugo_p', ago: 255, text: 'Où peut-on essayer le modèle Cargo près de Lyon ?' },
  {
    id: 'd-021',
    author: 'laura_s',
    ago: 252,
    text: "Super accueil au magasin de Nantes, l'équipe est adorable.",
  },
  {
    id: 'd-022',
    author: 'max_r',
    ago: 250,
    text: 'You should offer a student discount, lots of us commute by bike.',
  },
  {
    id: 'd-023',
    author: 'angry_dave',
    ago: 248,
    text: 'You are a bunch of idiots, worst company ever, go to hell',
  },
  {
    id: 'd-024',
    author: 'elise.f',
    ago: 245,
    text: "Le pédalier grince depuis la dernière révision, c'est inadmissible pour ce prix.",
  },
  { id: 'd-025', author: 'antoine.c', ago: 242, text: 'Quand sortira la nouvelle version du Trek ?' },
  {
    id: 'd-026',
    author: CM,
    ago: 230,
    replyTo: 'd-025',
    text: 'Bonjour Antoine, rendez-vous au printemps prochain, on vous tient au courant ici !',
  },
  {
    id: 'd-027',
    author: 'sarah_j',
    ago: 240,
    text: 'Is there a way to lock the motor with the app when I park?',
  },
  {
    id: 'd-028',
    author: 'manon.t',
    ago: 238,
    text: 'Trop contente de mon vélo, je vais au travail sans transpirer 😍',
  },
  {
    id: 'd-029',
    author: 'kevin_l',
    ago: 236,
    text: "J'aimerais bien que vous vendiez des sacoches assorties aux couleurs des vélos.",
  },
  {
    id: 'd-030',
    author: 'promo_bot',
    ago: 235,
    text: 'Subscribe to my channel for free gift cards!!! www.free-gifts.example www.free-gifts.example',
  },
  {
    id: 'd-031',
    author: 'olivier.n',
    ago: 232,
    text: 'Mon vélo a été livré avec un garde-boue cassé, que dois-je faire ?',
  },
  {
    id: 'd-032',
    author: BRAND,
    ago: 180,
    replyTo: 'd-031',
    text: 'Bonjour Olivier, envoyez-nous une photo en message privé, nous expédions la pièce.',
  },
  {
    id: 'd-033',
    author: 'grace_o',
    ago: 230,
    text: 'Great customer service, they fixed my order in one day. Thank you!',
  },
  {
    id: 'd-034',
    author: 'yanis.a',
    ago: 228,
    text: 'Le site plante à chaque fois que je veux payer, impossible de commander.',
  },
  {
    id: 'd-035',
    author: 'clara.m',
    ago: 225,
    text: 'Pourquoi le prix du Cargo a augmenté de 200 € depuis septembre ?',
  },
  {
    id: 'd-036',
    author: 'jack_t',
    ago: 222,
    text: 'It would be nice to have a bigger battery option for long rides.',
  },
  {
    id: 'd-037',
    author: 'lea.g',
    ago: 220,
    text: 'Merci à toute l’équipe pour les conseils, ma fille adore son premier vélo.',
  },
  {
    id: 'd-038',
    author: 'rachid.k',
    ago: 218,
    text: 'Pouvez-vous me dire si le chargeur est compatible avec l’ancien modèle ?',
  },
  {
    id: 'd-039',
    author: BRAND,
    ago: 150,
    replyTo: 'd-038',
    text: 'Bonjour Rachid, oui, tous nos chargeurs depuis 2022 sont compatibles.',
  },
  {
    id: 'd-040',
    author: 'nora_b',
    ago: 215,
    text: 'Ta gueule le troll, personne ne te demande ton avis, connard.',
  },
  {
    id: 'd-041',
    author: 'pierre.d',
    ago: 212,
    text: 'Il faudrait un antivol intégré dans le cadre, ce serait plus pratique.',
  },
  { id: 'd-042', author: 'amelia_r', ago: 210, text: 'Where can I download the user manual for the Trek?' },
  {
    id: 'd-043',
    author: 'victor.s',
    ago: 208,
    text: 'La livraison a encore une semaine de retard, c’est la troisième fois.',
  },
  {
    id: 'd-044',
    author: 'zoe.p',
    ago: 205,
    text: 'Magnifique balade ce week-end en Vélo Lumière le long de la Loire ☀️',
  },
  { id: 'd-045', author: 'matteo_f', ago: 202, text: 'Can you add a kids seat mount on the Cargo?' },
  {
    id: 'd-046',
    author: 'alice.b',
    ago: 200,
    text: "Est-ce que vous reprenez les anciens vélos pour l'achat d'un neuf ?",
  },
  {
    id: 'd-047',
    author: 'quentin.r',
    ago: 198,
    text: 'Le nouveau tableau de bord est vraiment bien pensé, bravo.',
  },
  {
    id: 'd-048',
    author: 'ethan_c',
    ago: 195,
    text: 'My order arrived with a scratched frame, not acceptable at this price.',
  },
  {
    id: 'd-049',
    author: 'margot.l',
    ago: 192,
    text: 'Quels sont les horaires du magasin de Bordeaux le dimanche ?',
  },
  {
    id: 'd-050',
    author: 'lina.h',
    ago: 190,
    text: 'Proposez une location longue durée, beaucoup hésitent à acheter.',
  },
  {
    id: 'd-051',
    author: 'seller_pro',
    ago: 188,
    text: 'Cheap bikes parts wholesale contact whatsapp +44 7700 900123 best price',
  },
  {
    id: 'd-052',
    author: 'gabriel.m',
    ago: 185,
    text: 'Le vélo est top mais la selle est vraiment inconfortable au-delà de 20 km.',
  },
  { id: 'd-053', author: 'jade.c', ago: 182, text: 'Comment activer le mode éco sur le Trek ?' },
  {
    id: 'd-054',
    author: BRAND,
    ago: 120,
    replyTo: 'd-053',
    text: 'Bonjour Jade, appuyez deux secondes sur le bouton M du guidon.',
  },
  {
    id: 'd-055',
    author: 'oscar_w',
    ago: 180,
    text: 'Thanks for the quick answer on Instagram yesterday, very helpful.',
  },
  {
    id: 'd-056',
    author: 'celine.r',
    ago: 178,
    text: 'Vous avez prévu une version pliante pour les trains ?',
  },
];
