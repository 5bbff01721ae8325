import { describe, expect, it } from 'vitest';
import { modelFamily } from '../../functions/advise/model-family.js';

describe('a model family', () => {
  it.each([
    { model: 'claude-sonnet-4-20250514', family: 'claude-sonnet' },
    { model: 'claude-sonnet-4-5', family: 'claude-sonnet' },
    { model: 'claude-3-5-haiku-latest', family: 'claude-haiku' },
    { model: 'gpt-4o-mini', family: 'gpt-mini' },
    { model: 'gpt-4.1-mini', family: 'gpt-mini' },
    { model: 'gpt-4o-2024-08-06', family: 'gpt' },
    { model: 'gemini-2.5-flash', family: 'gemini-flash' },
    { model: 'meta-llama/llama-3.1-70b-instruct', family: 'llama-70b-instruct' },
    { model: 'o3-mini', family: 'o3-mini' },
    { model: '4o', family: '4o' },
  ])('of $model is $family', ({ model, family }) => {
    expect(modelFamily(model)).toBe(family);
  });
});
