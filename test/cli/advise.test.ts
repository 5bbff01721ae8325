import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWithPrices, everyDay, rolledUpLedgerFile } from '../advise/support/ledgers.js';
import { cli } from '../support/cli.js';

/**
 * `ai-finops advise fine-tune`: the break-even of test/advise/fine-tune.test.ts's hand calculation (10 calls a day of
 * 2,000 input and 500 output tokens on big-model at $3 / $15, tuned-small at $0.40 / $1.60 x 2), with the one-off
 * costs from the flags or the config.
 */

const asOf = '2026-05-01';
let ledger: { db: string; remove: () => void };
const prices = configWithPrices('advice:\n  fine_tune:\n    target_model: tuned-small\n    training_usd: 100\n    labor_usd: 200\n', [
  'acme,big-model,3,0.3,15',
  ',tuned-small,0.4,0.04,1.6',
  ',tiny-model,0.1,0.01,0.4',
]);
const fineTune = (...args: string[]) => cli('advise', 'fine-tune', '--db', ledger.db, '--config', prices.path, '--as-of', asOf, ...args);

beforeAll(async () => {
  ledger = await rolledUpLedgerFile(everyDay(asOf, 30, 10, { input: 2000, output: 500, cost: '0.0135' }), asOf);
});
afterAll(() => {
  ledger.remove();
  prices.remove();
});

describe('ai-finops advise fine-tune', () => {
  it('prints the break-even in calls, tokens and months for the costs given', async () => {
    // $30 / $0.0103 a call = 2,913 calls = 7,282,500 tokens; / 304.17 calls a month = 9.6 months
    const { code, stdout } = await fineTune('--feature', 'bot', '--training-usd', '10', '--labor-usd', '20');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Fine-tune break-even for bot as of 2026-05-01\n/);
    expect(stdout).toMatch(/break-even +2,913 calls, 7\.3M tokens\n/);
    expect(stdout).toMatch(/months to break even +9\.6\n/);
    expect(stdout).toMatch(/cost per call +\$0\.0135 now, \$0\.0032 fine-tuned: \$0\.0103 saved/);
  });

  it('takes the costs and the target model from the config, and prints one JSON object with --json', async () => {
    // $300 / $0.0103 = 29,127 calls (29,126.2 rounded up)
    const { code, stdout } = await fineTune('--feature', 'bot', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      as_of: asOf,
      feature: 'bot',
      model: 'big-model',
      target_model: 'tuned-small',
      training_usd: '100.000000000',
      labor_usd: '200.000000000',
      saving_per_call_usd: '0.010300000',
      break_even_calls: 29_127,
      break_even_tokens: 72_817_500,
      calls_per_month: 304,
    });
  });

  it('takes another target model with --target-model', async () => {
    // tiny-model: (2,000 x 0.1 + 500 x 0.4) / 1M x 2 = $0.0008 a call; $300 / $0.0127 = 23,623 calls
    const { stdout } = await fineTune('--feature', 'bot', '--target-model', 'tiny-model', '--json');
    expect(JSON.parse(stdout)).toMatchObject({ target_model: 'tiny-model', target_cost_per_call_usd: '0.000800000', break_even_calls: 23_623 });
  });

  it.each([
    { name: 'a cost that is not an amount is bad usage', args: ['--feature', 'bot', '--labor-usd', '10k'], code: 2, message: /--labor-usd "10k" is not an amount in US dollars/ },
    { name: 'a target model no price list knows is bad usage', args: ['--feature', 'bot', '--target-model', 'no-such-model-xyz'], code: 2, message: /no rates for the target model no-such-model-xyz: name a model/ },
    { name: 'the feature is required', args: [], code: 2, message: /--feature/ },
    { name: 'a feature without calls fails, saying what to check', args: ['--feature', 'nobody'], code: 1, message: /feature nobody has no calls in the 28 days before 2026-05-01: check the feature name/ },
  ])('$name', async ({ args, code, message }) => {
    const result = await fineTune(...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });
});
