import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFinopsConfig, type FinopsConfig } from '../../functions/config/finops-config.js';
import type { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { when, type Effect, type Stream } from './support/scenario.js';
import { configYaml, daysBefore, end, findingsOf, ledgerWith, runJob, scenario, streams, theFinding } from './support/workloads.js';

const base = [streams.support, streams.search];
const detect = (effects: Effect[], more: Stream[] = [], config?: FinopsConfig) =>
  findingsOf(scenario({ streams: [...base, ...more], effects }), 'detect', end, config);

describe('unattributed_spend', () => {
  it('finds a tenth of support losing its feature tag from E-20, as a warn from that day', async () => {
    const untag = when('support', 20, (r) => [{ ...r, requests: Math.round(r.requests * 0.85) }, { ...r, feature: null, requests: Math.round(r.requests * 0.15) }]);
    const found = theFinding(await detect([untag]), 'unattributed_spend');
    expect(found).toMatchObject({ feature: null, severity: 'warn' });
    expect(Math.abs(Date.parse(found.first_seen) - Date.parse(`${daysBefore(20)}T00:00:00Z`)) / 86_400_000).toBeLessThanOrEqual(1);
    expect(found.summary).toMatch(/^\d+(\.\d)?% of spend \(\$[\d.,]+ a month\) has no feature or no segment/);
  });

  it('counts calls with a feature but no segment too', async () => {
    const noSegment = when('support', 70, (r) => ({ ...r, segment: null }));
    const found = theFinding(await detect([noSegment]), 'unattributed_spend');
    expect(found.evidence).toMatchObject({ features_missing_segments: [expect.objectContaining({ feature: 'support' })] });
    expect(found.first_seen).toBe(`${daysBefore(70)}T00:00:00Z`);
  });
});

describe('unpriced_spend', () => {
  it('finds calls on a model no price list knows, from their first day, in the feature with most of them', async () => {
    const acme: Stream = { feature: 'search', provider: 'acme', model: 'acme-llm-9000', perDay: 40, inputTokens: 900, outputTokens: 150, priced: false };
    const found = theFinding(await detect([(row, at) => (row.model === 'acme-llm-9000' && at.daysBeforeEnd > 15 ? [] : row)], [acme]), 'unpriced_spend');
    expect(found).toMatchObject({ feature: 'search', subject: 'acme-llm-9000', first_seen: `${daysBefore(15)}T00:00:00Z`, status: 'open' });
    expect(found.summary).toMatch(/calls \([\d.]+k tokens\) on acme\/acme-llm-9000 since \S+, mostly in search, have no price/);
    expect(Number(found.impact_usd_month)).toBeGreaterThan(0);
  });
});

describe('data_gap', () => {
  it('finds support logging nothing on E-4 from 02:00 to 14:00, from its first silent hour', async () => {
    const silence = when('support', 4, () => [], { until: 3, fromHour: 2, toHour: 14 });
    const found = theFinding(await detect([silence]), 'data_gap', 'support');
    expect(found).toMatchObject({ first_seen: `${daysBefore(4)}T02:00:00Z`, last_seen: `${daysBefore(4)}T13:00:00Z`, severity: 'warn', status: 'resolved' });
    expect(found.summary).toMatch(/^support logged no calls for 12 hours from \S+ 02:00 UTC, when about [\d,]+ were expected: its logging may be broken/);
  });

  it('says so when the calls went on without their feature tag', async () => {
    const untagged = when('support', 4, (r) => ({ ...r, feature: null }), { until: 3, fromHour: 2, toHour: 14 });
    const found = theFinding(await detect([untagged]), 'data_gap', 'support');
    expect(found.summary).toMatch(/more calls than usual had no feature: its logging may have lost the feature tag/);
  });

  it('does not call a quiet night or a small feature a gap', async () => {
    const tiny: Stream = { ...streams.search, feature: 'tiny', perDay: 20 };
    const findings = await detect([], [tiny]);
    expect(findings.filter((f) => f.kind === 'data_gap')).toEqual([]);
  });

  it('reports a ledger that has not been loaded lately as one gap with no feature, not a gap in every feature', async () => {
    const findings = await findingsOf(scenario({ streams: base }), 'anomalies', daysBefore(-2));
    expect(findings.filter((f) => f.kind === 'data_gap')).toEqual([expect.objectContaining({ feature: null, severity: 'info' })]);
  });
});

describe('budget_overrun', () => {
  const tight = parseFinopsConfig(configYaml.replace('budget_per_unit_usd: 0.05', 'budget_per_unit_usd: 0.02'), 'tight');

  it("finds support's cost per call passing its budget when its answers grow fivefold from E-10", async () => {
    const longer = when('support', 10, (r) => ({ ...r, output_tokens: r.output_tokens * 5 }));
    const found = theFinding((await detect([longer], [], tight)).filter((f) => f.subject === 'cost per unit'), 'budget_overrun', 'support');
    expect(found).toMatchObject({ first_seen: `${daysBefore(10)}T00:00:00Z`, severity: 'warn' });
    expect(found.summary).toMatch(/^support costs \$0\.0\d+ per call against a budget of \$0\.02/);
  });

  describe('on the month', () => {
    let engine: DuckDBEngine;
    const lowMonth = parseFinopsConfig(configYaml.replace('monthly_budget_usd: 3000', 'monthly_budget_usd: 500'), 'low');
    beforeAll(async () => (engine = await ledgerWith(scenario({ streams: base }))));
    afterAll(() => engine.close());
    const monthFinding = async (asOf: string) =>
      (await runJob(engine, 'detect', asOf, lowMonth)).findings.filter((f) => f.kind === 'budget_overrun' && f.subject !== 'cost per unit');

    it("finds support on course to overspend May's budget from the day the run rate crossed it", async () => {
      const [found] = await monthFinding('2026-05-20');
      expect(found).toMatchObject({ feature: 'support', subject: '2026-05', status: 'open', evidence: { basis: 'run rate of the last 14 days' } });
      expect(found!.first_seen.slice(0, 7)).toBe('2026-05');
      expect(found!.summary).toMatch(/^support is on course to spend \$[\d,.]+ in 2026-05 against its budget of \$500\.00/);
    });

    it('uses the latest weekly forecast of the month when the forecast job has written one', async () => {
      await engine.exec(
        `insert into forecasts (run_date, scope, scope_value, target_month, horizon_months, method, history_days, data_weight,
           actual_to_date_usd, mean_usd, lo80_usd, hi80_usd, lo95_usd, hi95_usd, fitted_at)
         values ('2026-05-18', 'feature', 'support', '2026-05-01', 0, 'ETS(A,A,A)', 60, 1, 400, 812.5, 700, 900, 650, 950, now())`,
      );
      const [found] = await monthFinding('2026-05-20');
      expect(found).toMatchObject({ impact_usd_month: '312.500000000', evidence: { forecast_usd: '812.500000000', basis: 'forecast of 2026-05-18 (ETS(A,A,A))' } });
    });

    it('judges a closed month on its actual spend, and stores it resolved', async () => {
      const [found] = await monthFinding('2026-06-01');
      expect(found).toMatchObject({ subject: '2026-05', status: 'resolved', evidence: { basis: 'actual' } });
    });
  });
});
