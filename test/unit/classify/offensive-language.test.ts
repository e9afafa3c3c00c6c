import { describe, expect, it } from 'vitest';
import { classifyLocally } from '../../../shared/classify/local-engine.ts';

const toxic = (text: string) => classifyLocally({ text }).toxic;

describe('toxicity: name-calling with no literal sense', () => {
  it.each([
    'the new signing is a total bozo',
    'read the manual first, nincompoop',
    'what a wimp, scared of a little rain',
    'that panel was full of slimeballs',
    'our landlord is a greedy windbag',
  ])('flags "%s"', (text) => {
    expect(toxic(text).flag).toBe(true);
    expect(toxic(text).labels).toContain('insult');
  });

  it('does not flag the same topics said without the insult', () => {
    expect(toxic('the new signing had a quiet first game').flag).toBe(false);
    expect(toxic('our landlord fixed the heating in a day').flag).toBe(false);
  });
});

describe('toxicity: insulting emoji', () => {
  it('flags the middle finger alone', () => {
    expect(toxic('@someone 🖕').flag).toBe(true);
  });

  it('flags a clown said of someone', () => {
    expect(toxic('this guy 🤡🤡').flag).toBe(true);
  });

  it('does not flag friendly emoji', () => {
    expect(toxic('this guy 😂👍').flag).toBe(false);
  });
});

describe('toxicity: what is said of a person', () => {
  it.each([
    'he is so senile it hurts to watch',
    'you are a spoiled and ungrateful kid',
    'she is a narcissist and everyone at work knows it',
    'they are thieves, every one of them',
  ])('flags "%s"', (text) => {
    expect(toxic(text).flag).toBe(true);
  });

  it.each([
    'you are literally a clown',
    'he is honestly the biggest hypocrite in the league',
    'she is clearly delusional',
  ])('reads past an adverb: "%s"', (text) => {
    expect(toxic(text).flag).toBe(true);
  });

  it.each([
    'my grandmother is getting senile and we are looking after her',
    'you are not rude at all, thanks for the help',
    'you are literally the best',
    'the thief was caught on camera near the station',
    // A customer describing how they were treated is a complaint for support, not abuse for moderation.
    'they were so rude at the counter today',
    'you are annoying me with these emails every day',
    'they are greedy, prices went up again',
  ])('does not flag "%s"', (text) => {
    expect(toxic(text).flag).toBe(false);
  });
});

describe('toxicity: swearing abbreviations, groups and accusations said of people', () => {
  it.each([
    'ffs, the update broke everything again',
    'what a clusterf*ck of a launch',
    'this a**hat cut the queue',
  ])('flags the swearing in "%s"', (text) => {
    expect(toxic(text).flag).toBe(true);
  });

  it.each([
    'liberals are completely delusional',
    'these fans are so entitled',
    'he is a pathological liar',
    'she is a national disgrace',
    "he's a walking embarrassment",
    'he is a rapist',
  ])('flags "%s"', (text) => {
    expect(toxic(text).flag).toBe(true);
    expect(toxic(text).labels).toContain('insult');
  });

  it.each([
    'liberals are meeting in Ottawa today',
    'the fans are so loud tonight',
    'she is a national treasure',
    'that was a cruel joke to play on a pensioner',
    'the lion is a predator',
    // English "sale" is not the French insult "sale …", and "assess" is not "asses".
    'the boots are on sale for half price',
    'we will assess the damage tomorrow',
    // Still a customer describing how they were treated.
    'the staff were incompetent and rude',
  ])('does not flag "%s"', (text) => {
    expect(toxic(text).flag).toBe(false);
  });
});

describe('toxicity: plain words a slur or swear prefix would catch', () => {
  it.each([
    'Pakistan win the toss and bat first',
    'Spicy ramen night at the club house!',
    'Cocktail hour at the rooftop bar, the cockpit crew came too',
    'Meloni meets Macron in Rome',
    'Reading Dickens on the train',
    'Melon et jambon, le meilleur apéro',
    'The POS terminal is down again at the Lyon store',
  ])('does not flag "%s"', (text) => {
    expect(toxic(text).flag).toBe(false);
  });

  it('still flags the slurs themselves', () => {
    expect(toxic('dirty paki go home').labels).toContain('hate');
  });
});

describe('toxicity: a word that insults in English and is plain in French', () => {
  it('does not flag the French delay', () => {
    expect(classifyLocally({ text: 'Le train est encore en retard, 2h de retard ce matin' }).toxic.flag).toBe(
      false,
    );
  });

  it('still flags the English slur', () => {
    expect(classifyLocally({ text: 'what a bunch of retards' }).toxic.flag).toBe(true);
  });
});

describe('toxicity: plain French that an insult list would catch', () => {
  it.each([
    "J'ai été victime d'une arnaque sur votre site",
    'Nouveau calendrier de la collecte : les ordures ménagères le lundi',
    'Le prix est salé mais franchement le vélo est top',
    'Il fait beau, on va pique-niquer au bord du lac',
    'Le vol AF1234 pour Nice est indiqué porte F32',
    "Le bailleur s'en fout, ça fait dix jours sans chauffage",
  ])('does not flag "%s"', (text) => {
    expect(toxic(text).flag).toBe(false);
  });

  it.each(["t'es une victime", 'sale type', 'va te faire foutre'])('still flags "%s"', (text) => {
    expect(toxic(text).flag).toBe(true);
  });
});

describe('toxicity: plain English that a French insult or a slur prefix would catch', () => {
  it.each([
    'Boxing Day sales start online at 6am',
    'Thinking of getting a cat or a dog. Pros and cons?',
    'See you at Comic-Con on Saturday',
    'They closed the only pedestrian crossing near the school',
    'Pope Francis to visit Mongolia',
    'Ikea missed the box with all the screws',
    'The dog groomer was lovely with our puppy',
  ])('does not flag "%s"', (text) => {
    expect(toxic(text).flag).toBe(false);
  });

  it('still flags a group called groomers', () => {
    expect(toxic('those teachers are groomers').flag).toBe(true);
  });
});

describe('toxicity: names for people read off everyday arguments', () => {
  it.each([
    'the forum mods are subhuman',
    'only an inbred sicko would post that',
    'typical neckbeard energy from the replies',
    'anyone who paid for the season pass, you suckers',
    'the comment section is a hellscape today',
  ])('flags "%s"', (text) => {
    expect(toxic(text).flag).toBe(true);
  });

  it('does not flag the plain senses nearby', () => {
    expect(toxic('the octopus grips with its suckers').flag).toBe(false);
    expect(toxic('the suckers of the shower caddy fell off the tiles').flag).toBe(false);
    expect(toxic('the new hall has a beautiful dome and a quiet reading room').flag).toBe(false);
    expect(toxic('they were so rude at the till and the staff seemed greedy').flag).toBe(false);
  });
});
