import { describe, expect, it } from 'vitest';
import { countersByDay } from '../../../../shared/core/planning/counters.ts';
import type { Counters } from '../../../../shared/domain/kpi.ts';

const days = (...entries: [string, Counters][]) => new Map<string, Counters>(entries);

describe('adding up the counters of a batch', () => {
  it('adds each day apart and drops what cancels out', () => {
    const total = countersByDay(
      days(['2026-11-20', { comments: 1, needsReply: 1 }]),
      days(['2026-11-20', { comments: 1, needsReply: -1 }], ['2026-11-21', { deleted: 1 }]),
      days(['2026-11-22', { edited: 1 }]),
      days(['2026-11-22', { edited: -1 }]),
    );
    expect([...total]).toEqual([
      ['2026-11-20', { comments: 2 }],
      ['2026-11-21', { deleted: 1 }],
    ]);
  });

  it('leaves its inputs as they were', () => {
    const part = days(['2026-11-20', { comments: 1 }]);
    countersByDay(part, part);
    expect(part.get('2026-11-20')).toEqual({ comments: 1 });
  });
});
