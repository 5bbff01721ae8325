import { describe, expect, it } from 'vitest';
import { when, type Effect } from './support/scenario.js';
import { daysBefore, findingsOf, scenario, streams, theFinding } from './support/workloads.js';

const base = [streams.support, streams.search];
const drift = (s: { effects: Effect[] }) => findingsOf(scenario({ days: 120, streams: base, ...s }), 'drift');

describe('prompt_drift', () => {
  it.each([
    {
      name: "search's prompt growing every day from E-60 to three times its size",
      feature: 'search',
      effect: when('search', 60, (r, at) => ({ ...r, input_tokens: r.input_tokens * (1 + (2 * (60 - at.daysBeforeEnd)) / 59) })),
      onset: daysBefore(59),
    },
    {
      name: "support's prompt growing by half at once on E-40 (a longer version)",
      feature: 'support',
      effect: when('support', 40, (r) => ({ ...r, input_tokens: r.input_tokens * 1.5 })),
      onset: daysBefore(40),
    },
  ])('finds $name, from the first grown day', async ({ feature, effect, onset }) => {
    const found = theFinding(await drift({ effects: [effect] }), 'prompt_drift', feature);
    expect(Math.abs(Date.parse(found.first_seen) - Date.parse(onset + 'T00:00:00Z')) / 86_400_000).toBeLessThanOrEqual(1);
    expect(found).toMatchObject({ subject: `${feature}@v1`, severity: 'warn', status: 'open' });
    expect(Number(found.impact_usd_month)).toBeGreaterThan(0);
  });

  it('leaves a prompt alone that grew by 10%, under the 25% threshold', async () => {
    const findings = await drift({ effects: [when('support', 40, (r) => ({ ...r, input_tokens: r.input_tokens * 1.1 }))] });
    expect(findings.filter((f) => f.kind === 'prompt_drift')).toEqual([]);
  });
});

describe('cache_regression', () => {
  it("finds search's cache hit rate falling as its prefix changes every day from E-10, as a warn", async () => {
    const churn = when('search', 10, (r, at) => ({ ...r, cache_hit: 0.04, prompt_prefix_hash: `search-${at.day}` }));
    const found = theFinding(await drift({ effects: [churn] }), 'cache_regression', 'search');
    expect(found).toMatchObject({ first_seen: `${daysBefore(10)}T00:00:00Z`, severity: 'warn', subject: 'gemini-2.5-flash' });
    expect(found.evidence).toMatchObject({ prefix_churned: true });
    expect((found.evidence as { cache_hit_rate_before: number }).cache_hit_rate_before).toBeCloseTo(0.4, 2);
    expect(found.summary).toMatch(/fell from 40% to [34]\.\d% on \S+ as its prompt prefix kept changing \(10 new prefix hashes since\)/);
  });

  it('reports a fall without prefix churn as info: the prompt is not to blame', async () => {
    const found = theFinding(await drift({ effects: [when('search', 10, (r) => ({ ...r, cache_hit: 0.04 }))] }), 'cache_regression', 'search');
    expect(found).toMatchObject({ severity: 'info', first_seen: `${daysBefore(10)}T00:00:00Z` });
  });
});
