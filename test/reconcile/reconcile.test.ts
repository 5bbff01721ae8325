import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFindings } from '../../functions/findings/store.js';
import { readInvoiceCsv } from '../../functions/reconcile/invoice-csv.js';
import { runReconcile } from '../../functions/reconcile/reconcile.js';
import { renderReconcile } from '../../functions/reconcile/render.js';
import { configFrom, testLedger } from '../support/ledger.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

/**
 * October 2026 in the ledger: gpt-4o 10 calls of 1,000 tokens (900 in, 100 out) at $0.1 (mostly for chat, one for
 * search); claude-haiku 4 calls of 500 tokens at $0.05. September: gpt-4o one call of 1,000 tokens at $1.
 */
function ledgerCalls() {
  const calls: object[] = [];
  for (let i = 0; i < 10; i++) {
    calls.push({ ts: `2026-10-${String(i + 1).padStart(2, '0')}T10:00:00Z`, call_id: `g${i}`, feature: i === 0 ? 'search' : 'chat', model: 'gpt-4o', input_tokens: 900, output_tokens: 100, cost_usd: '0.1' });
  }
  for (let i = 0; i < 4; i++) {
    calls.push({ ts: `2026-10-1${i}T10:00:00Z`, call_id: `h${i}`, feature: 'search', model: 'claude-haiku', input_tokens: 400, output_tokens: 100, cost_usd: '0.05' });
  }
  calls.push({ ts: '2026-09-30T23:59:59Z', call_id: 'sep', feature: 'chat', model: 'gpt-4o', input_tokens: 900, output_tokens: 100, cost_usd: '1' });
  return calls;
}

const config = configFrom('version: 1\ndetectors:\n  invoice:\n    max_gap_share: 0.05\n');

describe('reconciling an invoice with the ledger', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await testLedger();
    await ledger.loadCalls(ledgerCalls());
  });
  afterEach(() => ledger.close());

  const reconcile = (csv: string, asOf = '2026-11-05') =>
    runReconcile(ledger.context(asOf, config), readInvoiceCsv(csv, 'invoice.csv'), 'invoice.csv');

  it('compares tokens and cost per month and model, the gap as ledger minus invoice', async () => {
    const result = await reconcile('month,model,tokens,cost_usd\n2026-10,GPT-4o,10000,1.05\n2026-10,claude-haiku,2000,0.2\n');
    expect(result.rows.map((r) => [r.model, r.invoice_tokens, r.ledger_tokens, r.tokens_gap, r.invoice_cost_usd, r.ledger_cost_usd, r.cost_gap_usd])).toEqual([
      ['claude-haiku', 2000, 2000, 0, '0.200000000', '0.200000000', '0.000000000'],
      ['GPT-4o', 10000, 10000, 0, '1.050000000', '1.000000000', '-0.050000000'],
    ]);
    expect(result.rows[1]!.cost_gap_share).toBeCloseTo(-0.05 / 1.05, 12);
  });

  it('records no finding for a gap at or under the threshold', async () => {
    // $1.00 against $1.05 is 4.8% apart, under the 5% allowed
    const result = await reconcile('month,model,cost_usd\n2026-10,gpt-4o,1.05\n');
    expect(result.rows[0]!.mismatch).toBe(false);
    expect(result.findings).toEqual([]);
    expect(await readFindings(ledger.engine, ['invoice_mismatch'])).toEqual([]);
  });

  it('records an invoice_mismatch finding above the threshold, keyed by month and model', async () => {
    // $1.00 against $1.06 is 5.7% apart
    const result = await reconcile('month,model,cost_usd\n2026-10,GPT-4o,1.06\n');
    expect(result.findings).toEqual([
      expect.objectContaining({
        key: 'invoice_mismatch:2026-10:gpt-4o',
        kind: 'invoice_mismatch',
        status: 'open',
        feature: 'chat',
        subject: 'GPT-4o',
        first_seen: '2026-10-01T00:00:00Z',
        last_seen: '2026-10-31T00:00:00Z',
        impact_usd_month: '0.060000000',
      }),
    ]);
    expect(result.findings[0]!.summary).toBe(
      'The GPT-4o invoice for 2026-10 says $1.06, the ledger $1.00 (5.7% apart; 5.0% allowed): find the missing or extra calls before the ledger is used as the bill.',
    );
  });

  it('finds a token gap too, priced at the ledger cost per token when the invoice has no cost', async () => {
    // 12,000 tokens billed, 10,000 in the ledger at $1.00: 2,000 tokens at $0.0001 each
    const [finding] = (await reconcile('month,model,tokens\n2026-10,gpt-4o,12000\n')).findings;
    expect(finding).toMatchObject({ key: 'invoice_mismatch:2026-10:gpt-4o', impact_usd_month: '0.200000000' });
  });

  it('finds usage the ledger never saw, in a month it holds nothing for', async () => {
    const result = await reconcile('month,model,tokens,cost_usd\n2026-08,gpt-4o,10,0.01\n');
    expect(result.rows[0]).toMatchObject({ ledger_tokens: 0, ledger_cost_usd: '0.000000000', mismatch: true, top_feature: null });
    expect(result.findings.map((f) => f.key)).toEqual(['invoice_mismatch:2026-08:gpt-4o']);
  });

  it('keeps a month to its own days (a call at 23:59:59 on the 30th is September)', async () => {
    const result = await reconcile('month,model,cost_usd\n2026-09,gpt-4o,1\n');
    expect(result.rows[0]).toMatchObject({ ledger_cost_usd: '1.000000000', ledger_tokens: 1000, mismatch: false });
  });

  it('is idempotent: running it again changes nothing and adds no finding', async () => {
    const csv = 'month,model,cost_usd\n2026-10,gpt-4o,2\n';
    const first = await reconcile(csv);
    const again = await reconcile(csv, '2026-11-06');
    expect(again.findings).toEqual(first.findings);
    expect(await readFindings(ledger.engine, ['invoice_mismatch'])).toEqual(first.findings);
  });

  it('resolves the finding when a later invoice agrees, and leaves other months alone', async () => {
    await reconcile('month,model,cost_usd\n2026-09,gpt-4o,3\n2026-10,gpt-4o,2\n');
    const corrected = await reconcile('month,model,cost_usd\n2026-10,gpt-4o,1\n', '2026-11-07');
    expect(corrected.findings.map((f) => [f.key, f.status])).toEqual([['invoice_mismatch:2026-10:gpt-4o', 'resolved']]);
    const stored = await readFindings(ledger.engine, ['invoice_mismatch']);
    expect(stored.map((f) => [f.key, f.status]).sort()).toEqual([
      ['invoice_mismatch:2026-09:gpt-4o', 'open'],
      ['invoice_mismatch:2026-10:gpt-4o', 'resolved'],
    ]);
  });

  it('prints the invoice beside the ledger with the mismatches marked', async () => {
    const text = renderReconcile(await reconcile('month,model,tokens,cost_usd\n2026-10,gpt-4o,10000,2\n2026-10,claude-haiku,2000,0.2\n'));
    expect(text).toContain('Invoice invoice.csv against the ledger');
    expect(text).toMatch(/2026-10\s+–\s+gpt-4o\s+10,000\s+10,000\s+\+0\.0%\s+\$2\.00\s+\$1\.00\s+-\$1\.00\s+-50%\s+MISMATCH/);
    expect(text).toMatch(/2026-10\s+–\s+claude-haiku\s+2,000\s+2,000\s+\+0\.0%\s+\$0\.200\s+\$0\.200\s+\$0\.00\s+\+0\.0%\s+ok/);
    expect(text).toContain('1 of 2 month and model pairs differ by more than 5.0%');
  });
});

/**
 * October 2026, gpt-4o from two providers: 4 calls through OpenAI at $0.25 (1,000 tokens each) and 2 through Azure
 * at $0.5 (500 tokens each). OpenAI's invoice says $1.00 and 4,000 tokens: it agrees with the OpenAI calls alone.
 */
describe('reconciling an invoice when the ledger holds the model under several providers', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await testLedger();
    const call = (id: string, day: number, provider: string, tokens: number, cost: string) => ({
      ts: `2026-10-0${day}T10:00:00Z`, call_id: id, feature: 'chat', provider, model: 'gpt-4o', input_tokens: tokens - 100, output_tokens: 100, cost_usd: cost,
    });
    await ledger.loadCalls([
      ...[1, 2, 3, 4].map((d) => call(`o${d}`, d, 'openai', 1000, '0.25')),
      ...[5, 6].map((d) => call(`a${d}`, d, 'azure', 500, '0.5')),
    ]);
  });
  afterEach(() => ledger.close());

  const reconcile = (csv: string, provider: string | null = null) =>
    runReconcile(ledger.context('2026-11-05', config), readInvoiceCsv(csv, 'invoice.csv', provider), 'invoice.csv');

  it("compares each invoice line with its own provider's calls only, and keys the finding by provider", async () => {
    const result = await reconcile('month,provider,model,tokens,cost_usd\n2026-10,OpenAI,gpt-4o,4000,1\n2026-10,azure,gpt-4o,1000,2\n');
    expect(result.rows.map((r) => [r.provider, r.ledger_tokens, r.ledger_cost_usd, r.ledger_calls, r.mismatch])).toEqual([
      ['azure', 1000, '1.000000000', 2, true],
      ['openai', 4000, '1.000000000', 4, false],
    ]);
    expect(result.findings.map((f) => [f.key, f.summary.slice(0, 44)])).toEqual([
      ['invoice_mismatch:2026-10:azure:gpt-4o', 'The azure gpt-4o invoice for 2026-10 says $2'],
    ]);
  });

  it('takes the provider of the whole invoice from --provider', async () => {
    const result = await reconcile('month,model,tokens,cost_usd\n2026-10,gpt-4o,4000,1\n', 'openai');
    expect(result.rows).toEqual([expect.objectContaining({ provider: 'openai', ledger_cost_usd: '1.000000000', mismatch: false })]);
    expect(result.findings).toEqual([]);
  });

  it('refuses an invoice that does not say which provider billed it, naming the providers and the fix', async () => {
    await expect(reconcile('month,model,cost_usd\n2026-10,gpt-4o,1\n')).rejects.toThrow(
      'invoice.csv does not say which provider billed a model the ledger holds under several providers:\n' +
        '  line 2 (gpt-4o, 2026-10): the ledger holds it under azure, openai\n' +
        'Say which: add a provider column to the CSV (provider,month,model,...), or run with --provider NAME (e.g. --provider openai) when the whole invoice comes from one provider.',
    );
    expect(await readFindings(ledger.engine, ['invoice_mismatch'])).toEqual([]);
  });

  it('compares a month in which the ledger has the model from one provider only without asking', async () => {
    const result = await reconcile('month,model,cost_usd\n2026-09,gpt-4o,0\n');
    expect(result.rows).toEqual([expect.objectContaining({ provider: null, ledger_calls: 0, mismatch: false })]);
  });

  it('keys a finding by the provider the invoice names, so the key holds when the calls of the month land later', async () => {
    // November: the invoice bills gpt-4o before the ledger has any November call, then the openai calls land
    const csv = 'month,model,cost_usd\n2026-11,gpt-4o,1\n';
    const before = await reconcile(csv);
    await ledger.loadCalls([{ ts: '2026-11-02T10:00:00Z', call_id: 'n1', feature: 'chat', provider: 'openai', model: 'gpt-4o', input_tokens: 900, output_tokens: 100, cost_usd: '1' }]);
    const after = await reconcile(csv);
    expect(after.rows[0]).toMatchObject({ provider: 'openai', billed_by: null, mismatch: false });
    expect(before.findings.map((f) => f.key)).toEqual(['invoice_mismatch:2026-11:gpt-4o']);
    expect(after.findings.map((f) => [f.key, f.status])).toEqual([['invoice_mismatch:2026-11:gpt-4o', 'resolved']]);
  });
});
