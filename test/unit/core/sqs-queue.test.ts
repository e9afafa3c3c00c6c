import { describe, expect, it } from 'vitest';
import { fitForQueue, sqsSafeJson } from '../../../shared/adapters/sqs-queue.ts';
import { commentEvent } from '../../support/builders.ts';

describe('queue messages', () => {
  it('escapes only what SQS refuses, so accents stay compact and emoji survive the round trip', () => {
    const event = commentEvent({ text: 'Très bien 👍 \ud800 fin' });
    const body = sqsSafeJson(event);
    expect(body).toContain('Très bien');
    expect(body).not.toMatch(/[\ud800-\udfff]/);
    expect(JSON.parse(body).comment.text).toBe('Très bien 👍 \ud800 fin');
  });

  it('cuts a comment too long for one message instead of refusing the delivery', () => {
    const { event, body } = fitForQueue(commentEvent({ text: '😀'.repeat(40_000) }));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(240 * 1024);
    expect(event.comment.text.endsWith('… [cut: too long to queue]')).toBe(true);
    expect(event.comment.text.startsWith('😀😀')).toBe(true);
  });

  it('leaves a normal comment untouched', () => {
    const original = commentEvent({ text: 'Bonjour' });
    expect(fitForQueue(original).event).toBe(original);
  });
});
