import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../functions/config/finops-config.js';
import { dashboardInput } from '../../functions/dashboard/dashboard-input.js';
import { renderDashboard } from '../../functions/dashboard/page.js';
import { UsageError } from '../../functions/errors.js';
import { dashboardLedger, hostileFeature, hostileSegment, month, now } from './fixture.js';

type Ledger = Awaited<ReturnType<typeof dashboardLedger>>;

const sha256 = (text: string) => 'sha256-' + createHash('sha256').update(text, 'utf8').digest('base64');
const between = (html: string, open: string, close: string) => html.slice(html.indexOf(open) + open.length, html.indexOf(close, html.indexOf(open)));

describe('the dashboard page', () => {
  let ledger: Ledger;
  let html: string;
  beforeAll(async () => {
    ledger = await dashboardLedger();
    html = await renderDashboard(await dashboardInput(ledger.engine, defaultConfig, month, now));
  }, 60_000);
  afterAll(() => ledger.close());

  it('has a section for each part of the month, in reading order', () => {
    const order = ['cost-per-outcome', 'spend', 'forecast', 'findings', 'chargeback', 'advice'].map((id) => html.indexOf(`<section id="${id}">`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('shows the month to date as money: March 1 to 21 of chat, search, the hostile feature and the calls with no feature', () => {
    // 21 days of $2 + 10 x $0.01 + $0.50 + $0.25
    expect(html).toContain('Month to date, through 2026-03-21');
    expect(html).toContain('<span class="value">$59.85</span>');
    expect(html).toMatch(/<td class="num" data-sort="42">\$42\.00<\/td>/);
  });

  it('draws the spend per day and the forecast fan chart as inline SVG', () => {
    expect(html.match(/<figure class="chart (spend|fan)"><svg /g)).toHaveLength(2);
    expect(between(html, '<figure class="chart fan">', '</figure>')).toContain('AI spend per month, actual and forecast');
  });

  it('lists the month-end forecast with its 80% and 95% intervals', () => {
    const forecast = between(html, '<section id="forecast">', '</section>');
    expect(forecast).toContain('$100.00');
    expect(forecast).toContain('$90.00 – $110.00');
    expect(forecast).toContain('$80.00 – $120.00');
  });

  it('shows each open finding with its evidence, the largest impact first', () => {
    const findings = between(html, '<section id="findings">', '</section>');
    expect(findings.indexOf('$42.50 a month')).toBeLessThan(findings.indexOf('$1.25 a month'));
    expect(findings).toContain('<dt>retry share</dt><dd>40%</dd>');
    expect(findings).toContain('<dt>extra usd month</dt><dd>$42.50</dd>');
  });

  it('keeps every hostile name as text: no markup a feature, segment, finding or advice could inject', () => {
    expect(html).not.toContain(hostileFeature);
    expect(html).not.toContain(hostileSegment);
    expect(html).not.toMatch(/<img/i);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });

  it('allows by its Content-Security-Policy exactly its own style sheet and script, and no network', () => {
    const csp = between(html, '<meta http-equiv="Content-Security-Policy" content="', '">');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src '${sha256(between(html, '<style>', '</style>'))}'`);
    expect(csp).toContain(`script-src '${sha256(between(html, '<script>', '</script>'))}'`);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('bills each segment, the hostile one escaped, the unattributed line last', () => {
    const chargeback = between(html, '<section id="chargeback">', '</section>');
    const rows = chargeback.match(/<tr><td[^>]*>[^<]*<\/td>/g)!.map((row) => row.replace(/<[^>]+>/g, ''));
    expect(rows).toEqual(['pro', '&quot;&gt;&lt;img src=x onerror=alert(2)&gt;', 'free', '(no segment: unattributed)', 'total']);
    expect(chargeback).toContain('Reconciled with the ledger: $59.85 over 273 calls.');
  });

  it('says a closed month is closed, and reads it as of the day after it', async () => {
    const february = await renderDashboard(await dashboardInput(ledger.engine, defaultConfig, '2026-02', now));
    expect(february).toContain('The closed month');
    // 28 days of $1 + 10 x $0.01 + $0.50 + $0.25
    expect(february).toContain('<span class="value">$51.80</span>');
    expect(february).toContain('as of 2026-03-01');
  });

  it('says what to run for a month with no rollups, instead of failing', async () => {
    const january = await renderDashboard(await dashboardInput(ledger.engine, defaultConfig, '2026-01', now));
    expect(january).toContain('No rolled-up calls in 2026-01');
    expect(january).toContain('No spend was rolled up in this month.');
  });

  it('refuses a month that has not begun', async () => {
    await expect(dashboardInput(ledger.engine, defaultConfig, '2026-04', now)).rejects.toThrow(UsageError);
  });
});
