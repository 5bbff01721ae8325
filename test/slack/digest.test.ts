import type { SectionBlock } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { buildDigest, digestFindings } from '../../functions/slack/digest.js';
import type { DigestInput } from '../../functions/slack/digest-input.js';
import type { SlackMessage } from '../../functions/slack/message.js';
import { messageText } from '../../functions/slack/text.js';
import { digestFeature, finding, forecast, hostile } from './fixtures.js';
import { blockTexts, limitProblems } from './within-limits.js';

function input(over: Partial<DigestInput> = {}): DigestInput {
  return {
    asOf: '2026-11-23',
    week: { from: '2026-11-16', to: '2026-11-23' },
    previousWeek: { from: '2026-11-09', to: '2026-11-16' },
    features: [
      digestFeature({ owner: 'team-support', budget_per_unit_usd: '0.20' }),
      digestFeature({ feature: 'code_review', unit_name: 'review', spend_usd: '20.000000000', previous_spend_usd: '25.000000000', cost_per_outcome_usd: '0.010000000', previous_cost_per_outcome_usd: '0.012500000', budget_per_unit_usd: '0.05' }),
      digestFeature({ feature: null, unit: 'calls', unit_name: 'ok call', spend_usd: '5.000000000', previous_spend_usd: '5.000000000', unpriced_calls: 7 }),
    ],
    forecast: forecast({}),
    findings: [
      { finding: finding({ key: 'a', impact_usd_month: '333.850000000', kind: 'premium_model_default', feature: 'doc_extraction' }), owner: 'team-docs' },
      { finding: finding({ key: 'b', impact_usd_month: '24.900000000', kind: 'prompt_drift' }), owner: 'team-support' },
    ],
    ...over,
  };
}

const sectionTexts = (blocks: SlackMessage['blocks']) =>
  blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');

describe('the weekly digest', () => {
  it('is keyed by the first day of its week, for the default channel', () => {
    const message = buildDigest(input());
    expect(message).toMatchObject({ key: 'digest:2026-11-16', kind: 'digest', channel: null });
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Weekly AI spend: 2026-11-16 to 2026-11-22' } });
    expect(limitProblems(message)).toEqual([]);
  });

  it('states the total spend and its change on the week before, summed exactly from the features', () => {
    const [summary] = sectionTexts(buildDigest(input()).blocks);
    // 100 + 20 + 5 = 125 against 80 + 25 + 5 = 110: +13.6%
    expect(summary).toContain('*$125.00* spent this week, *+14%* on the week before ($110.00).');
    // cache: 1,500 of 3,000 input tokens this week, 750 of 3,000 the week before
    expect(summary).toContain('cache hit rate 50% (25% the week before)');
    expect(summary).toContain('7 calls on models no price list knows');
  });

  it('gives the month-end forecast with its 80% interval', () => {
    const text = sectionTexts(buildDigest(input()).blocks).join('\n');
    expect(text).toContain('*Month-end forecast for November 2026: $1,084.33*, 80% interval $1,069.93 – $1,128.41');
    expect(sectionTexts(buildDigest(input({ forecast: null })).blocks).join('\n')).toContain('none in the last five weeks');
  });

  it('tables each feature: spend, its change, calls, outcomes, cost per unit, its change, the budget and cache hits', () => {
    const table = sectionTexts(buildDigest(input()).blocks).find((t) => t.includes('```'))!;
    const lines = table.split('\n');
    expect(lines[2]).toMatch(/^feature\s+spend\s+wow\s+calls\s+outcomes\s+cost\/unit\s+wow\s+budget\s+cache$/);
    expect(table).toMatch(/support_bot\s+\$100\.00\s+\+25%\s+1,000\s+400\s+\$0\.250\s+\+25%\s+\$0\.200 over\s+50%/);
    expect(table).toMatch(/code_review\s+\$20\.00\s+-20%\s+1,000\s+400\s+\$0\.010\s+-20%\s+\$0\.050 ok\s+50%/);
    expect(table).toMatch(/\(no feature\)\s+\$5\.00\s+\+0\.0%.*–\s+50%/);
    expect(table).toMatch(/total\s+\$125\.00\s+\+14%\s+3,000\s+50%/);
    // every row of the code block is as wide as its columns: the right edges line up
    const rows = lines.slice(2, -1).filter((l) => !/^─/.test(l));
    expect(new Set(rows.map((l) => l.length)).size).toBe(1);
  });

  it('calls out each feature over its budget per unit, with its trend and owner', () => {
    const text = sectionTexts(buildDigest(input()).blocks).find((t) => t.startsWith('*Over budget per unit*'))!;
    expect(text).toBe(
      '*Over budget per unit*\n• `support_bot`: $0.250 per resolved ticket against a budget of $0.200 (+25%), and rising (+25% on the week) · owner team-support',
    );
  });

  it('lists the open findings in the order given (ranked by monthly impact), one line each with the owner', () => {
    const text = sectionTexts(buildDigest(input()).blocks).find((t) => t.startsWith('*Open findings*'))!;
    const lines = text.split('\n');
    expect(lines[0]).toBe('*Open findings* (2), largest monthly impact first');
    expect(lines[1]).toBe('🟠 *$333.85/month* premium_model_default in `doc_extraction` (owner team-docs): Something cost more than usual.');
    expect(lines[2]).toMatch(/^🟠 \*\$24\.90\/month\* prompt_drift in `support_bot` \(owner team-support\)/);
  });

  it(`lists at most ${digestFindings} findings and says how many more there are`, () => {
    const many = Array.from({ length: 14 }, (_, i) => ({ finding: finding({ key: `k${i}`, summary: `finding number ${i}` }), owner: null }));
    const message = buildDigest(input({ findings: many }));
    const text = sectionTexts(message.blocks).find((t) => t.startsWith('*Open findings*'))!;
    expect(text.split('\n').filter((l) => l.startsWith('🟠'))).toHaveLength(digestFindings);
    expect(text.split('\n').at(-1)).toBe('…and 4 more: `ai-finops findings --status open`');
    expect(message.text).toContain('14 open findings');
  });

  it('cuts a list of long findings to whole lines within a section, counting the ones it cut', () => {
    const long = Array.from({ length: 10 }, (_, i) => ({ finding: finding({ key: `k${i}`, summary: `${i} ${'word '.repeat(120)}` }), owner: null }));
    const message = buildDigest(input({ findings: long }));
    expect(limitProblems(message)).toEqual([]);
    const text = sectionTexts(message.blocks).find((t) => t.startsWith('*Open findings*'))!;
    const shown = text.split('\n').filter((l) => l.startsWith('🟠')).length;
    expect(shown).toBeLessThan(10);
    expect(text.split('\n').at(-1)).toBe(`…and ${10 - shown} more: \`ai-finops findings --status open\``);
  });

  it('keeps within the limits with a hundred features, saying how many it left out', () => {
    const features = Array.from({ length: 100 }, (_, i) => digestFeature({ feature: `feature_${String(i).padStart(3, '0')}` }));
    const message = buildDigest(input({ features }));
    expect(limitProblems(message)).toEqual([]);
    const table = sectionTexts(message.blocks).find((t) => t.includes('```'))!;
    expect(table).toMatch(/…and \d+ more features\n```$/);
  });

  it('escapes hostile feature names, owners, unit names and summaries so nothing pings or links', () => {
    const message = buildDigest(
      input({
        features: [
          digestFeature({ feature: hostile.channel, owner: hostile.here, unit_name: hostile.bold, budget_per_unit_usd: '0.01' }),
          digestFeature({ feature: hostile.link }),
        ],
        findings: [{ finding: finding({ feature: hostile.link, summary: `${hostile.channel} ${hostile.link} ${hostile.here} ${hostile.bold}` }), owner: hostile.here }],
      }),
    );
    const all = [...blockTexts(message), message.text].join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil');
    expect(all).not.toMatch(/@here/);
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;https://evil.example|click&gt;');
    expect(all).toContain('@\u2060here');
    const budget = sectionTexts(message.blocks).find((t) => t.startsWith('*Over budget'))!;
    expect(budget).toContain('per \u2217bold\u2217 against');
    const findings = sectionTexts(message.blocks).find((t) => t.startsWith('*Open findings*'))!;
    expect(findings).toContain('\u2217bold\u2217');
    expect(findings).not.toContain('*bold*');
    // and the terminal shows the names as they were written
    expect(messageText(message)).toContain('<!channel>');
  });

  it('says so when there are no open findings', () => {
    expect(sectionTexts(buildDigest(input({ findings: [] })).blocks).join('\n')).toContain('*Open findings:* none.');
  });
});
