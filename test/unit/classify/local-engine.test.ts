import { describe, expect, it } from 'vitest';
import { classifyLocally, createLocalClassifier } from '../../../shared/classify/local-engine.ts';

describe('local engine: intent', () => {
  it('sees a French late-order question as both a complaint and a question', () => {
    const c = classifyLocally({ text: "Pourquoi ma commande n'est toujours pas arrivée ?" });

    expect(c.intents).toEqual(expect.arrayContaining(['question', 'complaint']));
    expect(c.language).toBe('fr');
  });

  it.each([
    ['What time does the shop open on Sundays?', 'question'],
    ['Est-ce que la livraison est gratuite', 'question'],
    ['It would be great if the app had a dark mode', 'suggestion'],
    ["Ce serait bien d'ajouter le paiement en trois fois", 'suggestion'],
    ['My refund still has not arrived, this is unacceptable', 'complaint'],
    ['Le service client est nul, aucune réponse depuis une semaine', 'complaint'],
    ['Thank you so much, the team was amazing!', 'praise'],
    ['Merci pour votre aide, au top !', 'praise'],
    ['On se voit demain au stand', 'other'],
  ])('reads "%s" as %s', (text, intent) => {
    expect(classifyLocally({ text }).intents).toContain(intent);
  });

  it('answers "other" when nothing applies, with the primary intent first in the list', () => {
    const c = classifyLocally({ text: 'Photo du stand à Lyon' });

    expect(c.intent).toBe('other');
    expect(c.intents[0]).toBe(c.intent);
  });
});

describe('local engine: sentiment', () => {
  it.each([
    ['I love this update, great work', 'positive'],
    ["J'adore, c'est génial", 'positive'],
    ['This is terrible, I hate it', 'negative'],
    ["C'est vraiment décevant et lent", 'negative'],
    ['The store is on Main Street', 'neutral'],
  ])('labels "%s" %s', (text, label) => {
    expect(classifyLocally({ text }).sentiment.label).toBe(label);
  });

  it('turns a negated positive word negative', () => {
    expect(classifyLocally({ text: "Ce n'est pas bien du tout" }).sentiment.label).toBe('negative');
    expect(classifyLocally({ text: 'This is not good at all' }).sentiment.label).toBe('negative');
  });

  it('gives scores that add up to one', () => {
    const { scores } = classifyLocally({ text: 'Great product but the delivery was awful' }).sentiment;

    expect(scores.positive + scores.negative + scores.neutral + scores.mixed).toBeCloseTo(1, 2);
  });
});

describe('local engine: language', () => {
  it.each([
    ['Bonjour, je voudrais savoir si vous livrez en Belgique', 'fr'],
    ['Hello, do you ship to Canada or only in the US?', 'en'],
    ['Hola, ¿cuándo llega mi pedido?', 'es'],
    ['Wann kommt mein Paket endlich an?', 'de'],
  ])('detects "%s" as %s', (text, language) => {
    expect(classifyLocally({ text }).language).toBe(language);
  });

  it('ignores mentions and links when telling the language', () => {
    expect(
      classifyLocally({ text: '@TheBrandHelp @someone merci beaucoup pour votre réponse https://t.co/abc' })
        .language,
    ).toBe('fr');
  });

  it("answers 'und' for emoji only or a bare link", () => {
    expect(classifyLocally({ text: '😍😍🔥' }).language).toBe('und');
    expect(classifyLocally({ text: 'https://example.com/x' }).language).toBe('und');
  });

  it('uses the caller’s hint when the text says nothing', () => {
    expect(classifyLocally({ text: '👍', lang: 'fr' }).language).toBe('fr');
  });
});

describe('local engine: toxicity', () => {
  it.each([
    ['Espèce de connard', 'insult'],
    ['t es qu un gros c0nnard', 'insult'],
    ['encule va', 'insult'],
    ['you are a f*cking idiot', 'insult'],
    ['I will find you and kill you', 'threat'],
    ['sale arabe rentre chez toi', 'hate'],
  ])('flags "%s" with %s', (text, label) => {
    const c = classifyLocally({ text });

    expect(c.toxic.flag).toBe(true);
    expect(c.toxic.labels).toContain(label);
  });

  it.each([
    'Le concert était à tomber, merci',
    'That joke killed me 😂',
    'Contre toute attente, la commande est arrivée',
  ])('does not flag "%s"', (text) => {
    expect(classifyLocally({ text }).toxic.flag).toBe(false);
  });
});

describe('local engine: spam', () => {
  it('flags self-promotion with a link and says why', () => {
    const c = classifyLocally({ text: 'Check out my channel http://example.com and subscribe!' });

    expect(c.spam.flag).toBe(true);
    expect(c.spam.reasons).toEqual(expect.arrayContaining(['links', 'self-promotion']));
  });

  it('flags crypto schemes with a contact handle', () => {
    const c = classifyLocally({
      text: 'Earn $500 a day with bitcoin trading, contact me on WhatsApp +1 555 123 4567',
    });

    expect(c.spam.flag).toBe(true);
    expect(c.spam.reasons).toEqual(expect.arrayContaining(['crypto', 'contact-me']));
  });

  it('does not flag an ordinary complaint', () => {
    expect(classifyLocally({ text: 'My order 123 is late, please help' }).spam.flag).toBe(false);
  });
});

describe('createLocalClassifier', () => {
  it('answers one result per input, in order, every field from the local engine', async () => {
    const results = await createLocalClassifier().classify([
      { text: 'Merci !' },
      { text: 'Why is it broken?' },
    ]);

    expect(results).toHaveLength(2);
    expect(results[0]?.language).toBe('fr');
    expect(results[1]?.intents).toContain('question');
    expect(Object.values(results[0]?.engine ?? {})).toEqual(['local', 'local', 'local', 'local', 'local']);
  });
});
