import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectorJob } from '../../functions/jobs/detect.js';
import { runRollup } from '../../functions/jobs/rollup.js';
import { staleRanges } from '../../functions/jobs/stale-days.js';
import { testLedger } from '../support/ledger.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

const call = (ts: string, call_id: string, cost_usd: string) => ({
  ts, call_id, feature: 'support', segment: 'pro', model: 'gpt-4o-mini', input_tokens: 100, output_tokens: 10, cost_usd,
});

/** The hourly rollup's calls and spend over [from, to), as the detectors read it. */
async function hourly(ledger: Ledger, from: string, to: string) {
  const [row] = await ledger.engine.exec(
    `select coalesce(sum(calls), 0) as calls, coalesce(sum(spend_usd), 0) as spend_usd from calls_by_hour
     where hour >= cast($from as timestamp) and hour < cast($to as timestamp)`,
    { from, to },
  );
  return { calls: Number(row!.calls), spend_usd: String(row!.spend_usd) };
}

describe('the days a rollup must recompute', () => {
  let ledger: Ledger;
  beforeEach(async () => (ledger = await testLedger()));
  afterEach(() => ledger.close());

  it('are the trailing days before the as-of day plus the days loads touched since, as ranges', async () => {
    await ledger.loadCalls([call('2026-02-01T10:00:00Z', 'old', '0.10'), call('2026-03-09T10:00:00Z', 'future', '0.10')]);
    expect(await staleRanges(ledger.context('2026-03-03'), '2026-03-03', 'test')).toEqual([
      { from: '2026-02-01', to: '2026-02-02' },
      { from: '2026-02-28', to: '2026-03-03' },
    ]);
  });

  it('are taken into the hourly sums by the rollup, which reconciles them with the calls', async () => {
    await ledger.loadCalls([call('2026-03-02T09:10:00Z', 'a', '0.10'), call('2026-03-02T09:50:00Z', 'b', '0.20')]);
    await runRollup(ledger.context('2026-03-03'));
    expect(await hourly(ledger, '2026-03-02', '2026-03-03')).toEqual({ calls: 2, spend_usd: '0.300000000' });
  });

  it('include the days a ledger rolled up before calls_by_hour existed lacks, which a detector run rebuilds', async () => {
    await ledger.loadCalls([call('2026-02-10T09:00:00Z', 'a', '0.10'), call('2026-02-20T09:00:00Z', 'b', '0.20'), call('2026-03-02T09:00:00Z', 'c', '0.30')]);
    await runRollup(ledger.context('2026-03-03'));
    await ledger.engine.exec('delete from calls_by_hour'); // as a ledger of the version before it
    await detectorJob('retries')(ledger.context('2026-03-03'));
    expect(await hourly(ledger, '2026-02-01', '2026-03-03')).toEqual({ calls: 3, spend_usd: '0.600000000' });
  });

  it('include a late load for a long-past day, which a detector run takes in before it reads, though the rollup ran', async () => {
    await ledger.loadCalls([call('2026-03-02T09:10:00Z', 'a', '0.10')]);
    await runRollup(ledger.context('2026-03-03'));
    await ledger.loadCalls([call('2026-01-15T12:00:00Z', 'late', '0.40')]);
    expect(await hourly(ledger, '2026-01-15', '2026-01-16')).toEqual({ calls: 0, spend_usd: '0.000000000' });
    await detectorJob('drift')(ledger.context('2026-03-03'));
    expect(await hourly(ledger, '2026-01-15', '2026-01-16')).toEqual({ calls: 1, spend_usd: '0.400000000' });
    // and the day stays pending for the rollup, whose own tables need it too
    expect((await staleRanges(ledger.context('2026-03-03'), '2026-03-03', 'test'))[0]).toEqual({ from: '2026-01-15', to: '2026-01-16' });
  });
});
