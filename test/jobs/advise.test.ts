import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { runAdvise } from '../../functions/jobs/advise.js';
import { renderAdvise } from '../../functions/jobs/advise-text.js';
import { configWithPrices, everyDay, rolledUpLedgerFile } from '../advise/support/ledgers.js';
import { cli } from '../support/cli.js';
import { testLedger } from '../support/ledger.js';

/**
 * The advise job on a small ledger file: `bot` makes 10 calls a day for 30 days on big-model, all of April, all in
 * segment pro (April's bill for pro), each repeating one prompt prefix that is never read from cache (caching
 * advice), cheap to fine-tune on tuned-small within a year (fine-tune advice), and far below the self-hosting line
 * (the "stay on the APIs" row).
 */

const asOf = '2026-05-01';
let ledger: { db: string; remove: () => void };
const prices = configWithPrices(
  'advice:\n  fine_tune:\n    target_model: tuned-small\n    training_usd: 10\n    labor_usd: 20\n',
  ['acme,big-model,3,0.3,15', ',tuned-small,0.4,0.04,1.6'],
);
const now = new Date('2026-05-01T08:00:00Z');

/** Opens the ledger file for one test, and closes it after. */
async function withLedger(test: (engine: DuckDBEngine) => Promise<void>): Promise<void> {
  const engine = await DuckDBEngine.open(ledger.db);
  try {
    await test(engine);
  } finally {
    await engine.close();
  }
}

async function adviceTable(engine: DuckDBEngine) {
  return engine.exec('select * from advice order by run_date, key');
}

describe('run advise', () => {
  beforeAll(async () => {
    ledger = await rolledUpLedgerFile(everyDay(asOf, 30, 10, { prefix: 'system-v1', input: 2000, output: 500, cost: '0.0135' }), asOf);
  });
  afterAll(() => {
    prices.remove();
    ledger.remove();
  });

  it('writes one row per piece of advice, each advisor in its turn', () =>
    withLedger(async (engine) => {
      const result = await runAdvise({ engine, config: prices.config, asOf, now: () => now });
      expect(result.advice.map((a) => a.key)).toEqual(['chargeback:-:pro', 'caching:bot:-', 'fine_tune:bot:big-model', 'self_host:-:-']);
      expect(result.advisors.map((a) => [a.name, a.advice])).toEqual([['chargeback', 1], ['routing', 0], ['caching', 1], ['commit', 0], ['fine_tune', 1], ['self_host', 1]]);
      const rows = await adviceTable(engine);
      expect(rows.map((r) => [String(r.run_date).slice(0, 10), r.key, r.saving_usd_month === null ? null : String(r.saving_usd_month)])).toEqual(
        [...result.advice].sort((a, b) => a.key.localeCompare(b.key)).map((a) => [asOf, a.key, a.saving_usd_month]),
      );
      const caching = result.advice.find((a) => a.key === 'caching:bot:-')!;
      expect(JSON.parse(String(rows.find((r) => r.key === caching.key)!.inputs))).toEqual(caching.inputs);
      expect(renderAdvise(result)).toMatch(/^Advice as of 2026-05-01\n\nadvisor +feature +saving\/month +advice\n/);
    }));

  it('is idempotent: a second run of the same day leaves the same rows', () =>
    withLedger(async (engine) => {
      await runAdvise({ engine, config: prices.config, asOf, now: () => now });
      const first = await adviceTable(engine);
      await runAdvise({ engine, config: prices.config, asOf, now: () => now });
      expect(await adviceTable(engine)).toEqual(first);
      expect(first).toHaveLength(4);
      // a rerun later in the day replaces the rows: the same advice, stamped with the rerun's time
      await runAdvise({ engine, config: prices.config, asOf, now: () => new Date('2026-05-01T09:30:00Z') });
      const later = await adviceTable(engine);
      const withoutStamp = (rows: typeof first) => rows.map(({ created_at: _, ...rest }) => rest);
      expect(withoutStamp(later)).toEqual(withoutStamp(first));
      expect(later.map((r) => String(r.created_at))).toEqual(first.map(() => expect.stringMatching(/2026-05-01.09:30:00/)));
    }));

  it("leaves other days' rows as they were", () =>
    withLedger(async (engine) => {
      await runAdvise({ engine, config: prices.config, asOf, now: () => now });
      const before = await adviceTable(engine);
      await runAdvise({ engine, config: prices.config, asOf: '2026-05-02', now: () => now });
      const after = await adviceTable(engine);
      expect(after.filter((r) => String(r.run_date).startsWith(asOf))).toEqual(before);
      expect(after.filter((r) => String(r.run_date).startsWith('2026-05-02')).length).toBeGreaterThan(0);
    }));

  it('prints the contract JSON with --json: job, as_of, no findings, the advice with money as decimal strings', async () => {
    const { code, stdout } = await cli('run', 'advise', '--db', ledger.db, '--config', prices.path, '--as-of', asOf, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json).slice(0, 4)).toEqual(['job', 'as_of', 'findings', 'advice']);
    expect(json).toMatchObject({ job: 'advise', as_of: asOf, findings: [] });
    expect(json.advice.map((a: { saving_usd_month: string | null }) => a.saving_usd_month)).toEqual([
      null,
      expect.stringMatching(/^\d+\.\d{9}$/),
      expect.stringMatching(/^\d+\.\d{9}$/),
      null,
    ]);
  });

  it('writes nothing, and says so, on an empty ledger', async () => {
    const empty = await testLedger();
    try {
      const result = await runAdvise(empty.context(asOf));
      expect(result.advice).toEqual([]);
      expect(await empty.engine.exec('select count(*) as n from advice')).toEqual([{ n: 0 }]);
      expect(renderAdvise(result)).toBe('Advice as of 2026-05-01\n\nNo advice: nothing in the ledger calls for a change yet.');
    } finally {
      await empty.close();
    }
  });
});
