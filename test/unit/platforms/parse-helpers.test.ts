import { describe, expect, it } from 'vitest';
import { parseJsonBodyExactIntegers } from '../../../shared/platforms/parse-helpers.ts';

describe('parseJsonBodyExactIntegers', () => {
  it('keeps the exact digits of integers beyond 2^53 and leaves safe numbers as numbers', () => {
    const body = Buffer.from('{"id":26000000000000017,"neg":-26000000000000017,"time":1795167500,"x":1.5e3}');

    expect(parseJsonBodyExactIntegers(body)).toEqual({
      id: '26000000000000017',
      neg: '-26000000000000017',
      time: 1795167500,
      x: 1500,
    });
  });

  it('never touches digits inside strings, escaped quotes included', () => {
    const text = 'commande \\"26000000000000017\\" : 26000000000000017';
    const body = Buffer.from(`{"message":"${text}","ids":[26000000000000017]}`);

    expect(parseJsonBodyExactIntegers(body)).toEqual({
      message: 'commande "26000000000000017" : 26000000000000017',
      ids: ['26000000000000017'],
    });
  });
});
