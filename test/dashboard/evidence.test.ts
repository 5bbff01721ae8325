import { describe, expect, it } from 'vitest';
import { evidenceLines } from '../../functions/dashboard/evidence.js';

describe("a finding's evidence as lines", () => {
  it.each([
    { name: 'money in a dollar field', evidence: { saving_usd_month: '320.181645000' }, line: { label: 'saving usd month', value: '$320.18' } },
    { name: 'a price per token, with its significant digits', evidence: { usd_per_input_token: 2.8e-7 }, line: { label: 'usd per input token', value: '$2.80e-7' } },
    { name: 'a share as a percentage', evidence: { share_of_requests: 0.8821 }, line: { label: 'share of requests', value: '88%' } },
    { name: 'a rate as a percentage', evidence: { cache_hit_rate: 0.0741 }, line: { label: 'cache hit rate', value: '7.4%' } },
    { name: 'a count with separators', evidence: { calls_per_month: 58276 }, line: { label: 'calls per month', value: '58,276' } },
    { name: 'a ratio with two decimals', evidence: { baseline_input_tokens_per_call: 800.544 }, line: { label: 'baseline input tokens per call', value: '800.54' } },
    { name: 'a flag', evidence: { prefix_churned: true }, line: { label: 'prefix churned', value: 'yes' } },
    { name: 'a missing value', evidence: { quality: null }, line: { label: 'quality', value: '–' } },
    {
      name: 'a list of items, each led by what it is about',
      evidence: { features_missing_segments: [{ feature: 'support_bot', spend_usd_week: '1.9' }, { feature: 'doc_extraction', spend_usd_week: '1.5' }] },
      line: { label: 'features missing segments', value: 'support_bot (spend_usd_week: $1.90); doc_extraction (spend_usd_week: $1.50)' },
    },
    { name: 'a map keyed by data, its keys kept as they are', evidence: { features: { search_summaries: 477 } }, line: { label: 'features', value: 'search_summaries: 477' } },
  ])('shows $name', ({ evidence, line }) => {
    expect(evidenceLines(evidence)).toEqual([line]);
  });
});
