import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../functions/forecast/series-csv.js';
import { runRollup } from '../../functions/jobs/rollup.js';
import { fromNanos, toNanos } from '../../functions/money.js';
import { chargebackReport } from '../../functions/reports/chargeback.js';
import { focusCsv, focusReport } from '../../functions/reports/focus.js';
import { configFrom, testLedger } from '../support/ledger.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

/**
 * March 2026. gpt-4o-mini lists at $0.15 per million input tokens, $0.075 cached, $0.6 output (the catalog's
 * rates, test/pricing/catalog.test.ts):
 * - 03-02, chat/pro: a call priced at load, 1M input of which 400k cached, 100k output: effective
 *   0.6 x 0.15 + 0.4 x 0.075 + 0.1 x 0.6 = $0.18; list (every input token at the input rate) 0.15 + 0.06 = $0.21.
 *   With it, a call at a negotiated $0.000000001 for 1,000 in and 1,000 out: list $0.00075.
 * - 03-03, chat/free: 10 in and 10 out at a negotiated $0.1: list $0.0000075.
 * - 03-03, no feature or segment, an in-house model no catalog lists, at $0.333333333: list = billed.
 */
const calls = [
  { ts: '2026-03-02T08:00:00Z', call_id: 'a', feature: 'chat', segment: 'pro', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1_000_000, cached_input_tokens: 400_000, output_tokens: 100_000 },
  { ts: '2026-03-02T09:00:00Z', call_id: 'b', feature: 'chat', segment: 'pro', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 1000, cost_usd: '0.000000001' },
  { ts: '2026-03-03T09:00:00Z', call_id: 'c', feature: 'chat', segment: 'free', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 10, output_tokens: 10, cost_usd: '0.1' },
  { ts: '2026-03-03T10:00:00Z', call_id: 'd', provider: 'acme', model: 'in-house-llm', input_tokens: 5, output_tokens: 7, cost_usd: '0.333333333' },
];

/** OpenAI's account is named in the config; acme's is not, so it gets the default. */
const config = configFrom('version: 1\nbilling:\n  accounts:\n    OpenAI: {id: org-AbC123, name: Acme on OpenAI}\n');

/**
 * The columns FOCUS 1.2 makes mandatory (the FinOps Foundation's focus_validator, rules/model-1.2.json: the
 * column rules whose id ends in -M; FOCUS_Spec specification/columns/*.md, "Feature level: Mandatory"), and the
 * one of them whose values may be null.
 */
const mandatory = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargePeriodEnd', 'ChargePeriodStart', 'ContractedCost',
  'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingCategory', 'PricingQuantity', 'PricingUnit', 'ProviderName',
  'PublisherName', 'ServiceCategory', 'ServiceName',
];
const nullable = ['ChargeClass'];

/** The CSV read back as records of strings, as a FinOps tool would read it. */
function readBack(csv: string): { header: string[]; records: Record<string, string>[] } {
  const [header, ...lines] = parseCsv(csv).filter((row) => row.join('') !== '');
  return { header: header!, records: lines.map((line) => Object.fromEntries(header!.map((h, i) => [h, line[i] ?? '']))) };
}

const numeric = /^-?\d+(\.\d+)?$/; // FOCUS NumericFormat, as we write it: no sign for positives, no exponent
const moment = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/; // FOCUS DateTimeFormat: ISO 8601, UTC, seconds, Z

describe('the FOCUS export of a month', () => {
  let ledger: Ledger;
  let csv: string;
  let records: Record<string, string>[];
  let header: string[];
  beforeAll(async () => {
    ledger = await testLedger();
    await ledger.loadCalls(calls);
    await runRollup(ledger.context('2026-04-01'));
    csv = focusCsv(await focusReport(ledger.engine, config, '2026-03'));
    ({ header, records } = readBack(csv));
  });
  afterAll(() => ledger.close());

  it('has a header naming every FOCUS column the issue asks for', () => {
    expect(header).toEqual(
      expect.arrayContaining([
        'BilledCost', 'EffectiveCost', 'ListCost', 'ConsumedQuantity', 'ConsumedUnit', 'PricingQuantity', 'PricingUnit',
        'ChargeCategory', 'ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd',
        'ServiceCategory', 'ServiceName', 'SkuId', 'Tags', 'BillingCurrency',
      ]),
    );
    // custom columns carry the x_ prefix the spec reserves for them
    expect(header.filter((h) => !/^[A-Z]/.test(h)).every((h) => h.startsWith('x_'))).toBe(true);
  });

  it('has every column FOCUS 1.2 makes mandatory, none empty but ChargeClass', () => {
    expect(header).toEqual(expect.arrayContaining(mandatory));
    for (const record of records) {
      expect(mandatory.filter((column) => !nullable.includes(column) && record[column] === '')).toEqual([]);
    }
  });

  it("bills each provider's charges to its billing account: the config's, else the provider's own id and name", () => {
    expect(records.map((r) => [r.ProviderName, r.BillingAccountId, r.BillingAccountName])).toEqual([
      ['OpenAI', 'org-AbC123', 'Acme on OpenAI'],
      ['acme', 'acme', 'acme'],
      ['OpenAI', 'org-AbC123', 'Acme on OpenAI'],
    ]);
  });

  it('has one row per day, model and segment (and feature)', () => {
    expect(records.map((r) => [r.ChargePeriodStart, r.SkuId, r.Tags])).toEqual([
      ['2026-03-02T00:00:00Z', 'gpt-4o-mini', '{"feature":"chat","segment":"pro"}'],
      ['2026-03-03T00:00:00Z', 'in-house-llm', '{}'],
      ['2026-03-03T00:00:00Z', 'gpt-4o-mini', '{"feature":"chat","segment":"free"}'],
    ]);
  });

  it('writes every cost and quantity as a plain decimal, and every count as a whole number', () => {
    for (const record of records) {
      for (const column of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingQuantity']) expect(record[column]).toMatch(numeric);
      for (const column of ['ConsumedQuantity', 'x_Calls', 'x_InputTokens', 'x_OutputTokens']) expect(record[column]).toMatch(/^\d+$/);
    }
  });

  it('writes charge and billing periods as ISO 8601 UTC moments: the day, and the month', () => {
    for (const record of records) {
      for (const column of ['ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd']) expect(record[column]).toMatch(moment);
      expect(Date.parse(record.ChargePeriodEnd!) - Date.parse(record.ChargePeriodStart!)).toBe(86_400_000);
      expect([record.BillingPeriodStart, record.BillingPeriodEnd]).toEqual(['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z']);
    }
  });

  it('uses the values the spec allows for the category, currency and unit columns', () => {
    for (const record of records) {
      expect(record).toMatchObject({
        ChargeCategory: 'Usage',
        ChargeClass: '',
        ChargeFrequency: 'Usage-Based',
        PricingCategory: 'Standard',
        ServiceCategory: 'AI and Machine Learning',
        BillingCurrency: 'USD',
        ConsumedUnit: 'Tokens',
        PricingUnit: '1000000 Tokens',
      });
      expect(record.ServiceName).not.toBe('');
    }
    expect(records[0]).toMatchObject({ ServiceName: 'OpenAI API', ProviderName: 'OpenAI', ConsumedQuantity: '1102000', PricingQuantity: '1.102000000' });
  });

  it('writes Tags as a JSON object of plain values', () => {
    for (const record of records) {
      const tags = JSON.parse(record.Tags!) as unknown;
      expect(tags).toBeTypeOf('object');
      expect(Array.isArray(tags)).toBe(false);
      expect(Object.values(tags as object).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))).toBe(true);
    }
  });

  it('bills the ledger cost, cache and negotiated prices included, and lists the public price of the same tokens', () => {
    expect(records.map((r) => [r.BilledCost, r.EffectiveCost, r.ContractedCost, r.ListCost])).toEqual([
      ['0.180000001', '0.180000001', '0.180000001', '0.210750000'],
      ['0.333333333', '0.333333333', '0.333333333', '0.333333333'],
      ['0.100000000', '0.100000000', '0.100000000', '0.000007500'],
    ]);
  });

  it('adds up to the same cents as the bill', async () => {
    const billed = fromNanos(records.reduce((sum, r) => sum + toNanos(r.BilledCost!), 0n));
    const bill = await chargebackReport(ledger.engine, '2026-03', 'segment');
    expect(billed).toBe('0.613333334');
    expect(billed).toBe(bill.total.spend_usd);
  });

  it('refuses to export a month whose rollups are behind the ledger', async () => {
    const late = await testLedger();
    try {
      await late.loadCalls(calls);
      await expect(focusReport(late.engine, config, '2026-03')).rejects.toThrow(/FOCUS export for 2026-03 does not reconcile with the ledger/);
    } finally {
      await late.close();
    }
  });
});
