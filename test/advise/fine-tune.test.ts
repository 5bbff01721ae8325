import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseContext } from '../../functions/advise/advisor.js';
import { breakEven, fineTuneAdvisor, fineTuneCase, type FineTuneCase } from '../../functions/advise/fine-tune.js';
import { configWithPrices, everyDay, rolledUpLedger } from './support/ledgers.js';

/**
 * The fine-tune break-even against a hand calculation. Feature `bot` makes exactly 10 calls a day on big-model for
 * 30 days, each 2,000 input and 500 output tokens; big-model costs $3 / $15 per million input / output tokens, the
 * target tuned-small $0.40 / $1.60, billed twice over once fine-tuned (price_factor 2). Training $10, labor $20.
 *
 *   cost now      = 2,000 x 3 / 1M + 500 x 15 / 1M          = 0.006 + 0.0075   = $0.0135 a call
 *   cost target   = (2,000 x 0.40 / 1M + 500 x 1.60 / 1M) x 2 = (0.0008 + 0.0008) x 2 = $0.0032 a call
 *   saving        = 0.0135 - 0.0032                                            = $0.0103 a call
 *   break-even    = ceil(30 / 0.0103) = ceil(2,912.62)                         = 2,913 calls
 *   tokens        = 2,913 x 2,500                                              = 7,282,500 tokens
 *   volume        = 10 a day (a constant history forecasts itself) x 365/12    = 304.1667 calls a month
 *   months        = 2,913 / 304.1667                                           = 9.577 months
 *   then a month  = 0.0103 x 304.1667                                          = $3.132917
 */

const asOf = '2026-05-01';
const yaml = (paybackMonths: number) =>
  `advice:\n  fine_tune:\n    target_model: tuned-small\n    training_usd: 10\n    labor_usd: 20\n    price_factor: 2\n    payback_months: ${paybackMonths}\n`;
const priceLines = ['acme,big-model,3,0.3,15', ',tuned-small,0.4,0.04,1.6'];

describe('the break-even arithmetic', () => {
  it('matches the hand calculation', () => {
    const b = breakEven(30, 0.0135, 0.0032, 2500, 10 * (365 / 12))!;
    expect(b.saving_per_call_usd).toBeCloseTo(0.0103, 12);
    expect(b.calls).toBe(2913);
    expect(b.tokens).toBe(7_282_500);
    expect(b.months).toBeCloseTo(2913 / 304.1666667, 6);
  });

  it('has no break-even when the target is not cheaper per call', () => {
    expect(breakEven(30, 0.003, 0.0032, 2500, 300)).toBeNull();
  });

  it('never breaks even without volume', () => {
    expect(breakEven(30, 0.0135, 0.0032, 2500, 0)!.months).toBe(Infinity);
  });
});

describe('fine-tune advice on a ledger with a constant volume', () => {
  let ledger: Awaited<ReturnType<typeof rolledUpLedger>>;
  const prices = configWithPrices(yaml(12), priceLines);

  beforeAll(async () => {
    ledger = await rolledUpLedger(everyDay(asOf, 30, 10, { input: 2000, output: 500, cost: '0.0135' }), asOf);
  });
  afterAll(async () => {
    await ledger.close();
    prices.remove();
  });

  it('computes the case of a feature as by hand', async () => {
    const c = (await fineTuneCase(adviseContext(ledger.context(asOf, prices.config)), 'bot', {
      targetModel: 'tuned-small',
      trainingUsd: 10,
      laborUsd: 20,
      priceFactor: 2,
    })) as FineTuneCase;
    expect(c.model).toBe('big-model');
    expect(c.per_call).toEqual({ input: 2000, cachedInput: 0, cacheWriteInput: 0, output: 500 });
    expect(c.break_even!.cost_per_call_usd).toBeCloseTo(0.0135, 12);
    expect(c.break_even!.target_cost_per_call_usd).toBeCloseTo(0.0032, 12);
    expect(c.break_even!.calls).toBe(2913);
    expect(c.break_even!.tokens).toBe(7_282_500);
    expect(c.break_even!.calls_per_month).toBeCloseTo(304.1666667, 4);
    expect(c.break_even!.months).toBeCloseTo(9.577, 3);
  });

  it('lists the feature when it pays back within advice.fine_tune.payback_months', async () => {
    const advice = await fineTuneAdvisor.advise(adviseContext(ledger.context(asOf, prices.config)));
    expect(advice.map((a) => [a.key, a.saving_usd_month])).toEqual([['fine_tune:bot:big-model', '3.132917000']]);
    expect(advice[0]!.inputs).toMatchObject({ break_even_calls: 2913, break_even_tokens: 7_282_500, calls_per_month: 304, months_to_break_even: 9.577 });
    expect(advice[0]!.summary).toMatch(/breaks even after 2,913 calls .* 9\.6 months/);
  });

  it('does not list it when the payback takes longer than that', async () => {
    const strict = configWithPrices(yaml(6), priceLines);
    try {
      expect(await fineTuneAdvisor.advise(adviseContext(ledger.context(asOf, strict.config)))).toEqual([]);
    } finally {
      strict.remove();
    }
  });

  it('says why there is no case for a feature without calls or a target no price list knows', async () => {
    const context = adviseContext(ledger.context(asOf, prices.config));
    const options = { targetModel: 'tuned-small', trainingUsd: 10, laborUsd: 20, priceFactor: 2 };
    expect(await fineTuneCase(context, 'nobody', options)).toMatchObject({ reason: 'no_calls' });
    expect(await fineTuneCase(context, 'bot', { ...options, targetModel: 'no-such-model-xyz' })).toMatchObject({ reason: 'unknown_target' });
    expect(await fineTuneCase(context, 'bot', { ...options, targetModel: 'big-model' })).toMatchObject({ reason: 'already_on_target' });
  });
});
