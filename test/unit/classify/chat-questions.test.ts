import { describe, expect, it } from 'vitest';
import { classifyLocally } from '../../../shared/classify/local-engine.ts';

function intents(text: string): string[] {
  return classifyLocally({ text }).intents;
}

describe('local engine: chat questions put to someone by name', () => {
  it.each([
    'priya are you still at the office',
    'sam where u at now',
    'leo u still awake',
    'nora how was the concert',
  ])('reads "%s" as a question', (text) => {
    expect(intents(text)).toContain('question');
  });

  it.each(['yeah do it now', 'leo has your keys', 'sam is here already'])(
    'does not read "%s" as a question (no name, or the name is the subject)',
    (text) => {
      expect(intents(text)).not.toContain('question');
    },
  );
});

describe('local engine: question words inside a clause', () => {
  it.each(['no idea how long the drive takes', 'i know what time the match starts'])(
    'reads the embedded clause in "%s" as a statement',
    (text) => {
      expect(intents(text)).not.toContain('question');
    },
  );

  it('still reads the same words before a "?" as a question', () => {
    expect(intents('no idea how long the drive takes?')).toContain('question');
  });

  it('reads "how it works" as a relative clause, not a question', () => {
    expect(intents('how it works is simple')).not.toContain('question');
  });

  it('still reads "how is it going" as a question', () => {
    expect(intents('how is it going')).toContain('question');
  });
});

describe('local engine: "why not" and "which"', () => {
  it('reads "why not" without "?" as agreeing, not asking', () => {
    expect(intents('why not both then')).not.toContain('question');
  });

  it('reads "why not?" as a question', () => {
    expect(intents('why not?')).toContain('question');
  });

  it.each(['which bus do you take', 'which charger tonight'])('reads "%s" as a question', (text) => {
    expect(intents(text)).toContain('question');
  });

  it.each(['it rained all day, which is why we stayed in', 'which means no picnic'])(
    'does not read the summing-up "which" in "%s" as a question',
    (text) => {
      expect(intents(text)).not.toContain('question');
    },
  );
});
