import { describe, expect, it } from 'vitest';
import { classifyLocally } from '../../../shared/classify/local-engine.ts';

describe('local engine: a service matter raised with a brand account', () => {
  it.each([
    '@CityRail when is the 7:40 train to Leeds coming',
    '@ShopCo when will the jacket order ship',
    '@AirNorth where are our bags from flight 212',
    "@NorthBank the new card didn't come in the post",
    '@Telco the internet is not back since the storm',
  ])('reads "%s" as a complaint', (text) => {
    // Act
    const result = classifyLocally({ text });

    // Assert
    expect(result.intents).toContain('complaint');
  });

  it('does not read the same question as a complaint when it is not addressed to an account', () => {
    const result = classifyLocally({ text: 'when is the 7:40 train to Leeds coming' });

    expect(result.intents).not.toContain('complaint');
  });

  it('does not read a question to an account about something other than a service as a complaint', () => {
    const result = classifyLocally({ text: '@BandName when is the new album out' });

    expect(result.intents).not.toContain('complaint');
  });

  it('does not read a service noun without a question or a negated verb as a complaint', () => {
    const result = classifyLocally({ text: '@ShopCo just placed my order for the blue jacket' });

    expect(result.intents).not.toContain('complaint');
  });
});
