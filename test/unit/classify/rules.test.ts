import { describe, expect, it } from 'vitest';
import {
  parseModel,
  probability,
  serializeModel,
  trainLogistic,
} from '../../../shared/classify/linear-model.ts';
import { classifyLocally } from '../../../shared/classify/local-engine.ts';

const intents = (text: string) => classifyLocally({ text }).intents;

describe('local engine: toxicity said of a person', () => {
  it.each([
    'you are pathetic',
    'she is such a disgrace',
    'honestly they are all liars',
    "t'es qu'un minable",
  ])('flags "%s" as an insult', (text) => {
    const { toxic } = classifyLocally({ text });

    expect(toxic.flag).toBe(true);
    expect(toxic.labels).toContain('insult');
  });

  it('does not flag a negated judgement', () => {
    expect(classifyLocally({ text: 'she is not incompetent, just new here' }).toxic.flag).toBe(false);
  });

  it('does not read the short word "as" as a stretched swear word', () => {
    expect(classifyLocally({ text: 'as long as you are happy, as well as me' }).toxic.flag).toBe(false);
  });
});

describe('local engine: questions without a question mark', () => {
  it.each(['did you get my message', 'how many people are coming', 'anyone know where the keys are'])(
    'reads "%s" as a question',
    (text) => {
      expect(intents(text)).toContain('question');
    },
  );

  it.each(['is sorta lost today', 'dont cry', 'could be worse', 'when i find it i will tell you'])(
    'does not read the statement "%s" as a question',
    (text) => {
      expect(intents(text)).not.toContain('question');
    },
  );
});

describe('local engine: requests and service failures', () => {
  it.each([
    'I wish I could pick the delivery day',
    'We need a way to export our invoices',
    'The login should remember my device',
    'It would be so much easier with a search bar',
    'Il faudrait ajouter un mode sombre',
  ])('reads "%s" as a suggestion', (text) => {
    expect(intents(text)).toContain('suggestion');
  });

  it.each([
    '@shop my parcel has not been dispatched after ten days',
    '@airline why is my flight 5 hours late again',
    '@bank I was charged twice for one order',
    '@operateur pourquoi ma box ne fonctionne toujours pas',
  ])('reads "%s" as a complaint', (text) => {
    expect(intents(text)).toContain('complaint');
  });
});

describe('local engine: sentiment and language details', () => {
  it('reads "can\'t wait" as eagerness', () => {
    expect(classifyLocally({ text: "Season two starts on Monday, I can't wait" }).sentiment.label).toBe(
      'positive',
    );
  });

  it('uses French valence words beyond the hand-written list', () => {
    expect(classifyLocally({ text: 'Quelle journée magnifique et joyeuse' }).sentiment.label).toBe(
      'positive',
    );
    expect(classifyLocally({ text: 'Une décision absurde et injuste' }).sentiment.label).toBe('negative');
  });

  it('tells English from content words when no function word is there', () => {
    expect(classifyLocally({ text: '@someone Pathetic, ridiculous, clueless!!' }).language).toBe('en');
  });
});

describe('local engine: spam', () => {
  it('flags a bare link with an affiliate code', () => {
    expect(classifyLocally({ text: 'http://shop.example.xyz/p?AffiliateID=42' }).spam.flag).toBe(true);
  });

  it('leaves a member sharing a video alone', () => {
    expect(
      classifyLocally({ text: 'this part made me laugh https://www.youtube.com/watch?v=abc' }).spam.flag,
    ).toBe(false);
  });
});

describe('linear model', () => {
  it('learns which words separate two classes and survives a serialize round trip', () => {
    const docs = [
      ['buy', 'now'],
      ['buy', 'cheap'],
      ['nice', 'song'],
      ['great', 'song'],
    ];
    const labels = [true, true, false, false];

    const model = parseModel(serializeModel(trainLogistic(docs, labels, { minDocs: 1, prune: 0 })));

    expect(probability(model, ['buy'])).toBeGreaterThan(0.5);
    expect(probability(model, ['song'])).toBeLessThan(0.5);
  });
});
