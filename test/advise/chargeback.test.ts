import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseContext } from '../../functions/advise/advisor.js';
import { chargebackAdvisor } from '../../functions/advise/chargeback.js';
import { runRollup } from '../../functions/jobs/rollup.js';
import { chargebackReport } from '../../functions/reports/chargeback.js';
import { configFrom, testLedger } from '../support/ledger.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

/**
 * April 2026, advised on 1 May (the last closed month is April); $2.00 in all:
 * - chat (measured in outcomes, owner team-chat), segment pro: 4 calls of $0.25, 2 succeeded outcomes.
 * - search (measured in calls), segment free: 3 ok calls of $0.10.
 * - chat with no segment: 1 call of $0.50 (unattributed: no segment).
 * - no feature, segment pro, model m2: 1 ok call of $0.20 (billed to pro, but unattributed: no feature).
 * So pro is billed $1.20 (60%) for 3 outcomes (2 of chat, 1 ok call with no feature), $0.40 each; free $0.30 (15%)
 * for 3 at $0.10; and $0.70 of the $2.00 (35%) has no segment or no feature. A March and a May call count nowhere.
 */
function aprilCalls() {
  const call = (id: string, day: string, fields: object) => ({ ts: `${day}T10:00:00Z`, call_id: id, model: 'm1', input_tokens: 90, output_tokens: 10, ...fields });
  return [
    ...[1, 2, 3, 4].map((d) => call(`chat-${d}`, `2026-04-0${d}`, { feature: 'chat', segment: 'pro', cost_usd: '0.25', outcome_id: `o${d % 2}` })),
    ...[5, 6, 7].map((d) => call(`search-${d}`, `2026-04-0${d}`, { feature: 'search', segment: 'free', cost_usd: '0.1' })),
    call('chat-bare', '2026-04-10', { feature: 'chat', cost_usd: '0.5' }),
    call('no-feature', '2026-04-11', { segment: 'pro', model: 'm2', cost_usd: '0.2' }),
    call('march', '2026-03-31', { feature: 'chat', segment: 'pro', cost_usd: '9' }),
    call('may', '2026-05-01', { feature: 'chat', segment: 'pro', cost_usd: '9' }),
  ];
}

const outcomes = ['o0', 'o1'].map((id) => ({ ts: '2026-04-15T09:00:00Z', outcome_id: id, feature: 'chat', segment: 'pro', succeeded: true }));
const config = (maxShare: number) =>
  configFrom(`version: 1\nfeatures:\n  chat:\n    owner: team-chat\ndetectors:\n  unattributed:\n    max_share: ${maxShare}\n    info_share: 0.01\n`);

describe('chargeback advice', () => {
  let ledger: Ledger;
  beforeAll(async () => {
    ledger = await testLedger();
    await ledger.loadCalls(aprilCalls());
    await ledger.loadOutcomes(outcomes);
    await runRollup(ledger.context('2026-05-02'));
  });
  afterAll(() => ledger.close());

  const advise = (asOf: string, maxShare = 0.05) => chargebackAdvisor.advise(adviseContext(ledger.context(asOf, config(maxShare))));

  it("bills every segment for the last closed month: the chargeback report's own figures, with its share of the total", async () => {
    const advice = await advise('2026-05-01');
    const bill = await chargebackReport(ledger.engine, '2026-04', 'segment');
    const segments = advice.filter((a) => a.subject !== null);
    expect(segments.map((a) => [a.key, a.inputs.spend_usd, a.inputs.share_of_total, a.inputs.outcomes, a.inputs.cost_per_outcome_usd, a.saving_usd_month])).toEqual([
      ['chargeback:-:pro', '1.200000000', 0.6, 3, '0.400000000', null],
      ['chargeback:-:free', '0.300000000', 0.15, 3, '0.100000000', null],
    ]);
    expect(segments.map((a) => a.inputs.spend_usd)).toEqual(bill.lines.filter((l) => l.owner !== null).map((l) => l.spend_usd));
    expect(segments[0]!.inputs).toMatchObject({ month: '2026-04', calls: 5, tokens: 500, total_spend_usd: '2.000000000' });
  });

  it('says what each segment is billed in a sentence a person reads', async () => {
    const [pro] = await advise('2026-05-01');
    expect(pro!.summary).toBe("Bill pro $1.20 for 2026-04: 60% of the month's $2.00, 5 calls and 500 tokens for 3 outcomes at $0.400 each.");
  });

  it('adds a row saying who to tag when the spend with no segment or no feature is above the allowed share', async () => {
    const unattributed = (await advise('2026-05-01')).at(-1)!;
    expect(unattributed).toMatchObject({ key: 'chargeback:-:-', subject: null, feature: null, saving_usd_month: null });
    expect(unattributed.summary).toBe(
      "Tag the calls nobody can be billed for: 35% of 2026-04's spend ($0.700 of $2.00) has no segment or no feature, above the 5.0% allowed: " +
        'add a segment to the calls of chat, owner team-chat ($0.500); set a feature on the calls to m2 ($0.200).',
    );
    expect(unattributed.inputs).toMatchObject({
      unattributed_spend_usd: '0.700000000',
      share_of_total: 0.35,
      max_share: 0.05,
      no_segment_spend_usd: '0.500000000',
      no_feature_spend_usd: '0.200000000',
      features_missing_segments: [{ feature: 'chat', owner: 'team-chat', spend_usd: '0.500000000' }],
      models_missing_features: [{ model: 'm2', spend_usd: '0.200000000' }],
    });
  });

  it('adds no such row when the unattributed share is within the allowed one', async () => {
    const advice = await advise('2026-05-01', 0.35);
    expect(advice.map((a) => a.key)).toEqual(['chargeback:-:pro', 'chargeback:-:free']);
  });

  it('gives the same advice on every run of the month', async () => {
    expect(await advise('2026-05-20')).toEqual(await advise('2026-05-01'));
  });

  it('gives no advice for a month with no calls', async () => {
    expect(await advise('2026-07-01')).toEqual([]);
  });
});

describe('chargeback advice for a month in which no call has a segment', () => {
  it('bills no segment and names the three features with most spend to tag, then how many more', async () => {
    const ledger = await testLedger();
    try {
      // five features, $0.10 to $0.50, none with a segment
      await ledger.loadCalls([1, 2, 3, 4, 5].map((n) => ({ ts: `2026-04-0${n}T10:00:00Z`, call_id: `f${n}`, feature: `f${n}`, model: 'm1', input_tokens: 1, output_tokens: 1, cost_usd: `0.${n}` })));
      await runRollup(ledger.context('2026-05-01'));
      const advice = await chargebackAdvisor.advise(adviseContext(ledger.context('2026-05-01')));
      expect(advice.map((a) => a.key)).toEqual(['chargeback:-:-']);
      expect(advice[0]!.summary).toBe(
        "Tag the calls nobody can be billed for: 100% of 2026-04's spend ($1.50 of $1.50) has no segment or no feature, above the 5.0% allowed: " +
          'add a segment to the calls of f5 ($0.500), f4 ($0.400), f3 ($0.300) and 2 more.',
      );
    } finally {
      await ledger.close();
    }
  });
});
