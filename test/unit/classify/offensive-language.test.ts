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
