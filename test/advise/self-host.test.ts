import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseContext } from '../../functions/advise/advisor.js';
import { selfHostAdvisor } from '../../functions/advise/self-host.js';
import { configFrom } from '../support/ledger.js';
import { everyDay, rolledUpLedger } from './support/ledgers.js';

/**
 * Over the last 28 days, two Sonnet snapshots (one family) each carry 1M tokens a day: 56M tokens, 60.83M a month
 * (x 365/12 / 28); gpt-4o-mini carries 0.1M a day: 3.04M a month. An older month of heavy use does not count.
 */

const asOf = '2026-05-01';
const sonnet = (model: string) => everyDay(asOf, 28, 1, { model, input: 900_000, output: 100_000 });

describe('self-hosting advice', () => {
  let ledger: Awaited<ReturnType<typeof rolledUpLedger>>;
  beforeAll(async () => {
    ledger = await rolledUpLedger(
      [
        ...sonnet('claude-sonnet-4-20250514'),
        ...sonnet('claude-sonnet-4-5'),
        ...everyDay(asOf, 28, 1, { model: 'gpt-4o-mini', input: 90_000, output: 10_000 }),
        ...everyDay('2026-03-01', 28, 1, { model: 'gpt-4o-mini', input: 900_000_000, output: 0 }),
      ],
      asOf,
    );
  });
  afterAll(() => ledger.close());

  const advise = (threshold: number) =>
    selfHostAdvisor.advise(adviseContext(ledger.context(asOf, configFrom(`version: 1\nadvice:\n  self_host_tokens_per_month: ${threshold}\n`))));

  it('names each model family above the threshold, with its monthly tokens, and notes the data-residency exception', async () => {
    const advice = await advise(50_000_000);
    expect(advice.map((a) => [a.key, a.subject, a.saving_usd_month])).toEqual([['self_host:-:claude-sonnet', 'claude-sonnet', null]]);
    expect(advice[0]!.inputs).toMatchObject({ tokens_per_month: 60_833_333, models: ['claude-sonnet-4-20250514', 'claude-sonnet-4-5'] });
    expect(advice[0]!.summary).toMatch(/60\.8M tokens a month .* above the 50\.0M line/);
    expect(advice[0]!.summary).toMatch(/Data residency is the exception/);
  });

  it('below the threshold says to stay on the APIs, naming the largest family', async () => {
    const advice = await advise(2_000_000_000);
    expect(advice.map((a) => [a.key, a.subject])).toEqual([['self_host:-:-', null]]);
    expect(advice[0]!.summary).toMatch(/^Stay on the APIs: no model family reaches 2\.0B tokens a month \(the largest, claude-sonnet, runs at 60\.8M, 3\.0% of it\)\. Data residency/);
  });
});
