import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../functions/config/finops-config.js';
import { pruned, recordProblem } from '../../functions/ingest/check-record.js';

const limits = { ...defaultConfig.ingest, max_string_chars: 10, max_depth: 3 };

describe('the limits on one ingest record', () => {
  it.each([
    ['a flat record within every limit', { model: 'gpt-4o', tokens: 12, ok: true, none: null }, null],
    ['a record exactly at the depth limit', { a: { b: [1] } }, null],
    ['a string one over the length limit', { model: 'x'.repeat(11) }, { field: 'model', reason: expect.stringMatching(/^is 11 characters long: a string may hold at most 10/) }],
    ['a long string deep in an array', { tags: ['ok', 'y'.repeat(20)] }, { field: 'tags[1]', reason: expect.stringMatching(/is 20 characters/) }],
    ['nesting one past the depth limit', { a: { b: { c: { d: 1 } } } }, { field: 'a.b.c', reason: expect.stringMatching(/nests deeper than 3 levels \(ingest\.max_depth\)/) }],
    ['a long string that is the record itself', 'z'.repeat(11), { field: 'record', reason: expect.stringMatching(/is 11 characters/) }],
  ])('judges %s', (_, value, problem) => {
    expect(recordProblem(value, limits, true)).toEqual(problem);
  });

  it('finds U+FFFD only when the batch held invalid UTF-8, in values and in keys', () => {
    expect(recordProblem({ feature: 'a\uFFFDb' }, limits, true)).toBeNull();
    expect(recordProblem({ feature: 'a\uFFFDb' }, limits, false)).toEqual({ field: 'feature', reason: expect.stringMatching(/not valid UTF-8/) });
    expect(recordProblem({ ['k\uFFFD']: 1 }, limits, false)).toMatchObject({ reason: expect.stringMatching(/not valid UTF-8/) });
  });

  it('walks a record nested a hundred thousand deep no further than the limit', () => {
    const deep = JSON.parse('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000));
    expect(recordProblem(deep, limits, true)).toMatchObject({ field: 'a.a.a' });
    expect(JSON.stringify(pruned(deep, limits))).toBe('{"a":{"a":{"a":"[nested too deep]"}}}');
  });
});
