import { describe, expect, it } from 'vitest';
import { classifyLocally } from '../../../shared/classify/local-engine.ts';

describe('local engine: complaints without a problem word', () => {
  it.each([
    'they promised a callback within a day. it has been a while. it is the 14th now',
    "@FlyHigh we were told the lounge would reopen. it's been 3 weeks",
    'the quote said two days. that was 6 weeks ago',
    "it's day five of the kitchen fitting that was meant to take one",
    "the courier dropped the box in a puddle and didn't even call",
    'sent the form twice, not even an email back',
    '@MoveIt my order status still says pending',
    'the cinema is charging £6 for a small popcorn',
    'the lift in our building is out. again.',
    'my bill went up AGAIN this month',
  ])('reads "%s" as a complaint', (text) => {
    // Act
    const result = classifyLocally({ text });

    // Assert
    expect(result.intents).toContain('complaint');
  });

  it.each([
    "it's 9:15 and the kettle is on, let's go",
    "it's been 3 weeks since we moved in and we love the neighbourhood",
    'see you again soon!',
    'she still says hello to the postman every morning',
  ])('does not read "%s" as a complaint', (text) => {
    const result = classifyLocally({ text });

    expect(result.intents).not.toContain('complaint');
  });

  it('does not read a mishap the author blames on themself as a complaint', () => {
    const result = classifyLocally({
      text: 'locked my keys in the car, totally my fault, waiting for the spare',
    });

    expect(result.intents).not.toContain('complaint');
  });

  it('still reads a delay blamed on the service as a complaint', () => {
    const result = classifyLocally({
      text: 'locked out of my account for a week, still waiting for the reset email',
    });

    expect(result.intents).toContain('complaint');
  });
});

describe('local engine: "what" before the kind of thing asked for', () => {
  it.each(['what school did u go to', 'what part of texas', 'what song is this', 'what happened'])(
    'reads "%s" as a question',
    (text) => {
      const result = classifyLocally({ text });

      expect(result.intents).toContain('question');
    },
  );

  it.each(['what a song', 'what i said was true'])('does not read "%s" as a question', (text) => {
    const result = classifyLocally({ text });

    expect(result.intents).not.toContain('question');
  });
});

describe('complaints: naming the customer service is not complaining', () => {
  it('does not read a plain mention of the customer service as a complaint', () => {
    expect(
      classifyLocally({ text: 'Le service client est joignable du lundi au vendredi de 9 h à 18 h.' })
        .intents,
    ).not.toContain('complaint');
  });

  it('reads a charge announced as information, and a charge complained about', () => {
    expect(
      classifyLocally({ text: "Le montant sera débité à l'expédition de la commande." }).intents,
    ).not.toContain('complaint');
    expect(classifyLocally({ text: "J'ai été débité deux fois pour la même commande" }).intents).toContain(
      'complaint',
    );
  });

  it('still reads a complaint about the customer service', () => {
    expect(classifyLocally({ text: 'Le SAV ne répond pas depuis une semaine' }).intents).toContain(
      'complaint',
    );
  });
});
