import { describe, expect, it } from 'vitest';
import { listCosts } from '../../functions/reports/list-cost.js';

describe('the list cost of tokens', () => {
  it.each([
    // gpt-4o-mini lists at $0.15 per million input tokens and $0.6 per million output tokens
    { name: 'a million input and a million output tokens cost the two list rates', input: 1_000_000, output: 1_000_000, expected: '0.750000000' },
    { name: 'one input token costs 0.15 micro-dollars', input: 1, output: 0, expected: '0.000000150' },
    { name: 'seven input tokens cost exactly 1.05 micro-dollars (1.0499999999999999e-6 as floats)', input: 7, output: 0, expected: '0.000001050' },
    { name: 'no tokens cost nothing', input: 0, output: 0, expected: '0.000000000' },
  ])('$name', ({ input, output, expected }) => {
    expect(listCosts([{ provider: 'openai', model: 'gpt-4o-mini', day: '2026-03-02', input_tokens: input, output_tokens: output }])).toEqual([expected]);
  });

  it('has no list price for a model no catalog knows', () => {
    expect(listCosts([{ provider: 'acme', model: 'in-house-llm', day: '2026-03-02', input_tokens: 5, output_tokens: 5 }])).toEqual([null]);
  });
});
