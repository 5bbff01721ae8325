import type { SectionBlock } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { buildMonthEnd, monthEndAdvice } from '../../functions/slack/month-end.js';
import type { AdviceRow, ClosedMonthScope, MonthEndInput } from '../../functions/slack/month-end-input.js';
import type { SlackMessage } from '../../functions/slack/message.js';
import { messageText } from '../../functions/slack/text.js';
import { forecast, hostile } from './fixtures.js';
import { blockTexts, limitProblems } from './within-limits.js';

const octoberForecast = forecast({ target_month: '2026-10-01', run_date: '2026-10-05', mean_usd: '1000.000000000', lo80_usd: '950.000000000', hi80_usd: '1050.000000000' });

function closed(over: Partial<ClosedMonthScope>): ClosedMonthScope {
  return { feature: null, scope: 'total', actual_usd: '1010.500000000', forecast: octoberForecast, inside80: true, forecasts: 5, forecastsInside80: 4, ...over };
}

function advice(over: Partial<AdviceRow>): AdviceRow {
  return { run_date: '2026-11-01', key: 'commit:-:openai', advisor: 'commit', feature: null, subject: 'openai', summary: 'Commit to openai spend.', saving_usd_month: '120.000000000', ...over };
}

function input(over: Partial<MonthEndInput> = {}): MonthEndInput {
  return {
    asOf: '2026-11-01',
    closedMonth: '2026-10',
    closed: [
      closed({}),
      closed({ scope: 'feature', feature: 'support_bot', actual_usd: '700.000000000', forecast: { ...octoberForecast, scope: 'feature', scope_value: 'support_bot', mean_usd: '600.000000000', lo80_usd: '580.000000000', hi80_usd: '650.000000000' }, inside80: false }),
      closed({ scope: 'feature', feature: 'search', actual_usd: '310.500000000', forecast: null, inside80: null, forecasts: 0, forecastsInside80: 0 }),
    ],
    coverage: [
      { scope: 'total', horizon_months: 0, forecasts: 20, months: 5, coverage80: 0.75, coverage95: 0.9, mean_abs_error_usd: '10', mean_error_usd: '2', mean_abs_pct_error: 0.02 },
      { scope: 'total', horizon_months: 1, forecasts: 4, months: 4, coverage80: 0.5, coverage95: 1, mean_abs_error_usd: '30', mean_error_usd: '-5', mean_abs_pct_error: 0.05 },
    ],
    forecasts: [
      forecast({ run_date: '2026-10-26', horizon_months: 1, mean_usd: '1100.000000000', lo80_usd: '1000.000000000', hi80_usd: '1200.000000000' }),
      forecast({ run_date: '2026-10-26', target_month: '2026-12-01', horizon_months: 2, mean_usd: '1150.000000000', lo80_usd: '1000.000000000', hi80_usd: '1300.000000000' }),
      forecast({ run_date: '2026-10-26', scope: 'feature', scope_value: 'support_bot', horizon_months: 1, mean_usd: '750.000000000', lo80_usd: '720.000000000', hi80_usd: '800.000000000' }),
      forecast({ run_date: '2026-10-26', scope: 'feature', scope_value: 'support_bot', target_month: '2026-12-01', horizon_months: 2, mean_usd: '650.000000000', lo80_usd: '600.000000000', hi80_usd: '700.000000000' }),
    ],
    budgets: [{ feature: 'support_bot', monthly_budget_usd: '700' }],
    history: [
      { month: '2026-08-01', usd: '800.000000000' },
      { month: '2026-09-01', usd: '900.000000000' },
      { month: '2026-10-01', usd: '1010.500000000' },
    ],
    advice: [advice({}), advice({ key: 'routing:doc:x', advisor: 'routing', feature: 'doc_extraction', summary: 'Route to haiku.', saving_usd_month: '45.500000000' })],
    ...over,
  };
}

const sectionTexts = (m: SlackMessage) => m.blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');

describe('the month-end report', () => {
  it('is keyed by the closed month, for the default channel, with the fan chart as a PNG file', async () => {
    const message = await buildMonthEnd(input());
    expect(message).toMatchObject({ key: 'month-end:2026-10', kind: 'month-end', channel: null });
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Month-end AI spend report: October 2026' } });
    expect(message.files).toHaveLength(1);
    const [chart] = message.files!;
    expect(chart!.filename).toBe('ai-spend-forecast-2026-10.png');
    expect([...chart!.content.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(chart!.altText).toBe(
      'Monthly AI spend from August 2026 ($800.00) to October 2026 ($1,010.50); forecast: November 2026 $1,100.00 (80%: $1,000.00 – $1,200.00), December 2026 $1,150.00 (80%: $1,000.00 – $1,300.00).',
    );
    expect(limitProblems(message)).toEqual([]);
  });

  it("puts the closed month's actual against its forecast of record, and how the weekly forecasts and the running coverage did", async () => {
    const [first] = sectionTexts(await buildMonthEnd(input()));
    expect(first).toBe(
      '*October 2026 closed at $1,010.50* against a forecast of $1,000.00 (80% interval $950.00 – $1,050.00, made 2026-10-05): *inside* the 80% interval.\n' +
        'Of the 5 weekly forecasts made of October 2026, 4 held the actual inside the 80% interval.\n' +
        'Running coverage of the 80% interval (an honest one holds about 80%): made during the month: 75% of 20 (over 5 months); 1 month ahead: 50% of 4 (over 4 months).',
    );
  });

  it('says by how much an actual fell outside the interval', async () => {
    const above = input({ closed: [closed({ actual_usd: '1060.250000000', inside80: false })] });
    expect(sectionTexts(await buildMonthEnd(above))[0]).toContain('(80% interval $950.00 – $1,050.00, made 2026-10-05): *above* it by $10.25.');
    const below = input({ closed: [closed({ actual_usd: '900.000000000', inside80: false })] });
    expect(sectionTexts(await buildMonthEnd(below))[0]).toContain('*below* it by $50.00.');
  });

  it('tables each feature of the closed month against its forecast', async () => {
    const table = sectionTexts(await buildMonthEnd(input())).find((t) => t.startsWith('*October 2026 by feature*'))!;
    expect(table).toMatch(/support_bot\s+\$700\.00\s+\$600\.00\s+\$580\.00 – \$650\.00\s+above/);
    expect(table).toMatch(/search\s+\$310\.50\s+–\s+–/);
  });

  it('tables the forecasts ahead with their intervals, the total first, each scope named once', async () => {
    const table = sectionTexts(await buildMonthEnd(input())).find((t) => t.startsWith('*Forecasts* (of 2026-10-26)'))!;
    const rows = table.split('\n').slice(4, -1);
    expect(rows).toEqual([
      expect.stringMatching(/^total\s+2026-11\s+\$1,100\.00\s+\$1,000\.00 – \$1,200\.00$/),
      expect.stringMatching(/^\s+2026-12\s+\$1,150\.00\s+\$1,000\.00 – \$1,300\.00$/),
      expect.stringMatching(/^support_bot\s+2026-11\s+\$750\.00\s+\$720\.00 – \$800\.00$/),
      expect.stringMatching(/^\s+2026-12\s+\$650\.00\s+\$600\.00 – \$700\.00$/),
    ]);
  });

  it('flags a feature forecast above its monthly budget, and when even the low end is', async () => {
    const text = sectionTexts(await buildMonthEnd(input())).find((t) => t.startsWith('*Forecast above the monthly budget*'))!;
    expect(text).toBe('*Forecast above the monthly budget*\n• `support_bot`, budget $700.00 a month: November 2026 ($750.00, even its 80% low end)');
  });

  it(`lists the advice, largest saving first as given, at most ${monthEndAdvice} and "and N more"`, async () => {
    const text = sectionTexts(await buildMonthEnd(input())).find((t) => t.startsWith('*Advice*'))!;
    expect(text.split('\n')).toEqual([
      '*Advice* (of 2026-11-01), largest saving first',
      '• *$120.00/month* commit: Commit to openai spend.',
      '• *$45.50/month* routing in `doc_extraction`: Route to haiku.',
    ]);
    const many = Array.from({ length: 13 }, (_, i) => advice({ key: `k${i}`, summary: `advice ${i}` }));
    const cut = sectionTexts(await buildMonthEnd(input({ advice: many }))).find((t) => t.startsWith('*Advice*'))!;
    expect(cut.split('\n').filter((l) => l.startsWith('•'))).toHaveLength(monthEndAdvice);
    expect(cut.split('\n').at(-1)).toBe('…and 3 more');
  });

  it('says what is missing rather than leaving it out: no forecast of the month, no coverage yet, no advice', async () => {
    const bare = await buildMonthEnd(input({ closed: [closed({ forecast: null, inside80: null, forecasts: 0 })], coverage: [], forecasts: [], advice: [] }));
    const text = sectionTexts(bare).join('\n');
    expect(text).toContain('*October 2026 closed at $1,010.50*. It was never forecast');
    expect(text).toContain('no closed month has been scored yet');
    expect(text).toContain('*Forecasts:* none in the last five weeks');
    expect(text).toContain('*Advice:* none');
    expect(bare.files).toHaveLength(1);
  });

  it('escapes hostile feature names and advice', async () => {
    const message = await buildMonthEnd(
      input({
        closed: [closed({}), closed({ scope: 'feature', feature: hostile.channel })],
        budgets: [{ feature: hostile.link, monthly_budget_usd: '1' }],
        forecasts: [forecast({ scope: 'feature', scope_value: hostile.link })],
        advice: [advice({ feature: hostile.here, advisor: hostile.bold, summary: `${hostile.channel} ${hostile.link}` })],
      }),
    );
    const all = [...blockTexts(message), message.text].join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil');
    expect(all).not.toMatch(/@here/);
    expect(all).not.toContain('*bold*');
    expect(messageText(message)).toContain('<https://evil.example|click>');
  });
});
