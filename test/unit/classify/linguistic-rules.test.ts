import { describe, expect, it } from 'vitest';
import { classifyLocally } from '../../../shared/classify/local-engine.ts';

describe('local engine: complaints about unmet expectations, repeats and delays', () => {
  it.each([
    'Still trying to log in to my account since this morning',
    'Never ordering from you again',
    'The 8:10 train is ten minutes late',
    'My parcel was supposed to come on Monday',
    'Can you stop sending me the same email every day',
    'my order has vanished from the app',
    'Ça fait trois semaines que ma commande est en route',
  ])('reads "%s" as a complaint', (text) => {
    expect(classifyLocally({ text }).intents).toContain('complaint');
  });

  it('does not read a thank-you for an on-time delivery as a complaint', () => {
    expect(classifyLocally({ text: 'Thanks, the parcel arrived on time' }).intents).not.toContain(
      'complaint',
    );
  });
});

describe('local engine: sentiment', () => {
  it('does not count the preposition "like" as liking', () => {
    expect(classifyLocally({ text: 'He sings just like a bird' }).sentiment.label).toBe('neutral');
  });

  it('counts "like" after its subject as liking', () => {
    expect(classifyLocally({ text: 'I like the new design' }).sentiment.label).toBe('positive');
  });

  it('reads a hashtag that is one valence word as the author verdict', () => {
    expect(classifyLocally({ text: 'Delivery came today #fail' }).sentiment.label).toBe('negative');
  });

  it('reads the praise words of social media', () => {
    expect(classifyLocally({ text: 'That new frame colour is gorgeous' }).sentiment.label).toBe('positive');
  });

  it('meets French plural and feminine forms on the listed form', () => {
    expect(classifyLocally({ text: 'Les livraisons sont lentes', lang: 'fr' }).sentiment.label).toBe(
      'negative',
    );
  });
});

describe('local engine: French words read in their French sense', () => {
  it.each([
    'Le conseil municipal de notre ville se réunit jeudi soir à la mairie',
    'La salle du cinéma est au premier étage',
    'Le prix du billet est affiché sur le site',
    'Comme chaque année, le marché de Noël revient',
    'Bonjour Olivier, envoyez-nous une photo en message privé, nous expédions la pièce',
  ])('keeps a plain statement neutral: "%s"', (text) => {
    expect(classifyLocally({ text, lang: 'fr' }).sentiment.label).toBe('neutral');
  });

  it('reads "j\'ai hâte" as eagerness, not hatred', () => {
    expect(
      classifyLocally({ text: "J'ai trop hâte de voir le nouveau vélo", lang: 'fr' }).sentiment.label,
    ).toBe('positive');
  });

  it('reads "pas terrible" as mediocre in French', () => {
    expect(classifyLocally({ text: "L'accueil était pas terrible", lang: 'fr' }).sentiment.label).toBe(
      'negative',
    );
  });

  it('still reads "not terrible" as mild praise in English', () => {
    expect(classifyLocally({ text: 'Honestly the food was not terrible' }).sentiment.label).toBe('positive');
  });
});

describe('local engine: toxicity', () => {
  it('flags an insulting adjective in front of a group of people', () => {
    expect(classifyLocally({ text: 'those unhinged liberals again' }).toxic.flag).toBe(true);
  });

  it('does not flag a group named without an insult', () => {
    expect(classifyLocally({ text: 'liberals won the vote' }).toxic.flag).toBe(false);
  });

  it('meets a plural insult on its singular entry', () => {
    expect(classifyLocally({ text: 'what a bunch of dumbasses' }).toxic.flag).toBe(true);
  });

  it('does not turn a plain plural into a swear word', () => {
    expect(classifyLocally({ text: 'the classes start at nine' }).toxic.flag).toBe(false);
  });

  it.each([
    'our keeper is a talentless muppet',
    'reply guys are such crybabies',
    'cringe af tbh',
    'shut your mouth, nobody asked you',
    'touch grass, you absolute npc',
    'the treasurer should hang for this',
    'hope you get hit by a bus on the way home',
  ])('flags the name-calling of social media: "%s"', (text) => {
    expect(classifyLocally({ text }).toxic.flag).toBe(true);
  });

  it.each([
    'the rope will hang from the ceiling',
    'we should get a life jacket for the kayak',
    'the bus hit traffic on the way home',
  ])('does not flag the same words in ordinary use: "%s"', (text) => {
    expect(classifyLocally({ text }).toxic.flag).toBe(false);
  });
});
