import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/errors.js';
import { closestKey } from '../../functions/config/closest-key.js';
import {
  defaultConfig,
  featureConfig,
  loadFinopsConfig,
  parseFinopsConfig,
  resolveConfigPath,
} from '../../functions/config/finops-config.js';

const examplePath = new URL('../../finops.config.example.yaml', import.meta.url);

/** A file with `version: 1` and the given YAML under it. */
const file = (yaml: string) => `version: 1\n${yaml}`;

/** The ConfigError message the text produces; fails the test if it parses. */
function problemsOf(text: string): string {
  try {
    parseFinopsConfig(text, 'finops.config.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError, but the file parsed');
}

describe('the example config', () => {
  it('parses with the real parser, and its features read as documented', async () => {
    const config = parseFinopsConfig(await readFile(examplePath, 'utf8'), 'finops.config.example.yaml');
    expect(Object.keys(config.features)).toEqual(['support_bot', 'code_review', 'doc_extraction', 'search_summaries']);
    expect(featureConfig(config, 'support_bot')).toMatchObject({
      unit: 'outcomes', unit_name: 'resolved ticket', budget_per_unit_usd: '0.40', value_per_unit_usd: '6.00',
      slack_channel: '#support-ai-costs', quality_bar: 0.85, fallback_models: ['claude-3-5-haiku-latest'],
    });
    expect(featureConfig(config, 'code_review')).toMatchObject({ unit: 'calls', retry_cap: 2 });
    expect(featureConfig(config, 'search_summaries')).toMatchObject({
      unit: null, owner: 'team-search', retry_cap: 3, fermi: { usd_per_mtok: { low: 0.3, high: 2.5 } },
    });
    expect(config.advice.self_host_tokens_per_month).toBe(2_000_000_000);
  });
});

describe('defaults', () => {
  const cases: { name: string; value: (c: typeof defaultConfig) => unknown; expected: unknown }[] = [
    { name: 'a retry cap of 3 attempts', value: (c) => c.defaults.retry_cap, expected: 3 },
    { name: 'no unit, so it is inferred from the data', value: (c) => c.defaults.unit, expected: null },
    { name: 'no budgets', value: (c) => c.defaults.monthly_budget_usd, expected: null },
    { name: 'anomalies and retries looked at over 35 days', value: (c) => [c.detectors.lookback_days.anomalies, c.detectors.lookback_days.retries], expected: [35, 35] },
    { name: 'drift and model switches looked at over 120 days', value: (c) => [c.detectors.lookback_days.drift, c.detectors.lookback_days.switches], expected: [120, 120] },
    { name: 'a drift growth threshold of 25%', value: (c) => c.detectors.drift.growth_threshold, expected: 0.25 },
    { name: 'an anomaly impact floor as exact money', value: (c) => c.detectors.anomaly.min_impact_usd_day, expected: '25' },
    { name: 'at most 5% unattributed spend', value: (c) => c.detectors.unattributed.max_share, expected: 0.05 },
    { name: 'a 3-day trailing rollup window', value: (c) => c.rollup.trailing_days, expected: 3 },
    { name: 'no negotiated price file and no default channel', value: (c) => [c.pricing.negotiated_prices, c.slack.default_channel], expected: [null, null] },
    { name: 'a 20% commit discount and a 2 billion token self-hosting line', value: (c) => [c.advice.commit_discount, c.advice.self_host_tokens_per_month], expected: [0.2, 2e9] },
  ];
  it.each(cases)('with no config file there is $name', async ({ value, expected }) => {
    expect(value(await loadFinopsConfig(undefined))).toEqual(expected);
  });

  it('an empty section (detectors: with nothing under it) means all its defaults', () => {
    expect(parseFinopsConfig(file('detectors:\nadvice:\n'), 'f').detectors).toEqual(defaultConfig.detectors);
  });

  it('a feature not in the file gets the defaults, and calls with no feature too', () => {
    const config = parseFinopsConfig(file('defaults:\n  owner: platform\nfeatures:\n  support_bot:\n    retry_cap: 5\n'), 'f');
    expect(featureConfig(config, 'never_heard_of')).toEqual(config.defaults);
    expect(featureConfig(config, null)).toEqual(config.defaults);
    expect(featureConfig(config, 'toString')).toEqual(config.defaults);
  });

  it("a listed feature's own keys override the file's defaults, which override the built-in ones", () => {
    const config = parseFinopsConfig(
      file('defaults:\n  owner: platform\n  retry_cap: 4\n  approved_models: [a, b]\nfeatures:\n  support_bot:\n    retry_cap: 5\n    approved_models: [c]\n'),
      'f',
    );
    expect(featureConfig(config, 'support_bot')).toMatchObject({ owner: 'platform', retry_cap: 5, approved_models: ['c'], quality_bar: null });
    expect(featureConfig(config, 'other')).toMatchObject({ owner: 'platform', retry_cap: 4, approved_models: ['a', 'b'] });
  });

  it('the config is frozen, down to its lists', () => {
    const config = parseFinopsConfig(file('features:\n  f:\n    approved_models: [a]\n'), 'f');
    expect(() => ((config.features.f.approved_models as string[]).push('b'))).toThrow(TypeError);
    expect(() => ((config.detectors.drift as { growth_threshold: number }).growth_threshold = 9)).toThrow(TypeError);
  });
});

describe('money stays exact decimal text', () => {
  const cases = [
    { name: "'0.10' as a YAML number stays \"0.10\"", yaml: '0.10', expected: '0.10' },
    { name: "'0.10' as a YAML string stays \"0.10\"", yaml: '"0.10"', expected: '0.10' },
    { name: 'a whole number stays as written', yaml: '12000', expected: '12000' },
    { name: 'nine decimals stay exact', yaml: '0.123456789', expected: '0.123456789' },
    { name: 'more digits than a float holds stay exact', yaml: '12345678901234567.1', expected: '12345678901234567.1' },
  ];
  it.each(cases)('$name', ({ yaml, expected }) => {
    const config = parseFinopsConfig(file(`features:\n  f:\n    budget_per_unit_usd: ${yaml}\n`), 'f');
    expect(featureConfig(config, 'f').budget_per_unit_usd).toBe(expected);
  });
});

describe('a bad file gives one ConfigError that names each key and the fix', () => {
  const cases = [
    { name: 'a negative budget', yaml: file('features:\n  support_bot:\n    budget_per_unit_usd: -5\n'), says: ['line 4, features.support_bot.budget_per_unit_usd: must be an amount in US dollars', '(got -5)'] },
    { name: 'a money value that is not a number', yaml: file('features:\n  f:\n    monthly_budget_usd: .nan\n'), says: ['features.f.monthly_budget_usd: must be an amount', '(got .nan)'] },
    { name: 'money with more than 9 decimals', yaml: file('defaults:\n  value_per_unit_usd: "0.0000000001"\n'), says: ['defaults.value_per_unit_usd: must be an amount in US dollars, 0 or more with at most 9 decimals'] },
    { name: 'a quality bar of 1.5', yaml: file('features:\n  support_bot:\n    quality_bar: 1.5\n'), says: ['features.support_bot.quality_bar: must be a number from 0 to 1, e.g. quality_bar: 0.85 (got 1.5)'] },
    { name: 'a retry cap of 0', yaml: file('features:\n  support_bot:\n    retry_cap: 0\n'), says: ['features.support_bot.retry_cap: must be a whole number >= 1, e.g. retry_cap: 3 (got 0)'] },
    { name: 'a retry cap of 2.5', yaml: file('defaults:\n  retry_cap: 2.5\n'), says: ['defaults.retry_cap: must be a whole number >= 1'] },
    { name: 'a mistyped key, with the closest known key', yaml: file('features:\n  support_bot:\n    retry_cpa: 3\n'), says: ['line 4, features.support_bot.retry_cpa: unknown key: did you mean retry_cap?'] },
    { name: 'a mistyped section', yaml: file('detector:\n  drift:\n    growth_threshold: 0.3\n'), says: ['line 2, detector: unknown key: did you mean detectors?'] },
    { name: 'an unknown key unlike any known one, with the keys allowed', yaml: file('rollup:\n  colour: blue\n'), says: ['rollup.colour: unknown key: the keys allowed here are trailing_days'] },
    { name: 'a Fermi range with low above high', yaml: file('features:\n  new_bot:\n    fermi:\n      daily_active_users: {low: 1, high: 2}\n      calls_per_user: {low: 50, high: 20}\n      tokens_per_call: {low: 1, high: 2}\n      usd_per_mtok: {low: 1, high: 2}\n'), says: ['features.new_bot.fermi.calls_per_user: low must not be above high'] },
    { name: 'a Fermi prior missing a factor', yaml: file('features:\n  new_bot:\n    fermi:\n      daily_active_users: {low: 1, high: 2}\n'), says: ['features.new_bot.fermi.calls_per_user: must be a range {low, high}', '(got missing)', 'fermi.usd_per_mtok'], count: 3 },
    { name: 'an unknown unit', yaml: file('features:\n  f:\n    unit: tickets\n'), says: ['features.f.unit: must be outcomes or calls'] },
    { name: 'an unquoted Slack channel, read by YAML as a comment', yaml: file('slack:\n  default_channel: #costs\n'), says: ['slack.default_channel: must be a Slack channel name or id, quoted', '(got no value)'] },
    { name: 'a model list given as one string', yaml: file('features:\n  f:\n    fallback_models: gpt-4.1-mini\n'), says: ['features.f.fallback_models: must be a list of model names'] },
    { name: 'a page threshold below the warn threshold', yaml: file('detectors:\n  anomaly:\n    z_warn: 4\n    z_page: 3\n'), says: ['detectors.anomaly.z_page: must be above z_warn'] },
    { name: 'a setting written directly under features', yaml: file('features:\n  retry_cap: 3\n'), says: ['features.retry_cap: must be a mapping of settings', 'go under defaults'] },
    { name: 'a missing version', yaml: 'features: {}\n', says: ['version: must be 1', '(got missing)'] },
    { name: 'a version this ai-finops does not read', yaml: 'version: 2\n', says: ['line 1, version: must be 1', '(got 2)'] },
    { name: 'a file that is a list, not a mapping', yaml: '- version: 1\n', says: ['(the whole file): must be a mapping of settings'] },
    { name: 'bad YAML, with its line', yaml: file('features:\n  f:\n    owner: a: b\n'), says: ['line 4, column 12: Nested mappings are not allowed', 'YAML syntax'] },
    { name: 'a tab used as indentation, with its line', yaml: file('features:\n\tf: {}\n'), says: ['line 3, column 1: Tabs are not allowed as indentation'] },
    { name: 'a duplicate key, with its line', yaml: file('rollup:\n  trailing_days: 3\n  trailing_days: 4\n'), says: ['line 4, column 3', 'unique'] },
  ];
  it.each(cases)('$name', ({ yaml, says, count = 1 }) => {
    const message = problemsOf(yaml);
    expect(message).toMatch(new RegExp(`^finops\\.config\\.yaml has ${count === 1 ? '1 problem' : `${count} problems`}:\n`));
    for (const part of says) expect(message).toContain(part);
  });

  it('lists every problem at once, not just the first', () => {
    const message = problemsOf(file('features:\n  a:\n    retry_cap: 0\n    quality_bar: 2\n    ownr: me\nadvice:\n  commit_discount: 1\n'));
    expect(message).toMatch(/^finops\.config\.yaml has 4 problems:/);
    for (const path of ['features.a.retry_cap', 'features.a.quality_bar', 'features.a.ownr: unknown key: did you mean owner?', 'advice.commit_discount']) {
      expect(message).toContain(path);
    }
  });
});

describe('finding and loading the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'finops-config-'));
  const withLocal = mkdtempSync(join(tmpdir(), 'finops-config-local-'));
  writeFileSync(join(withLocal, 'finops.config.yaml'), 'version: 1\n');

  const cases = [
    { name: 'the --config flag wins over everything', flag: 'a.yaml', env: { FINOPS_CONFIG: '/etc/b.yaml' }, cwd: withLocal, expected: join(withLocal, 'a.yaml') },
    { name: 'FINOPS_CONFIG comes next', flag: undefined, env: { FINOPS_CONFIG: '/etc/b.yaml' }, cwd: withLocal, expected: '/etc/b.yaml' },
    { name: './finops.config.yaml is used when present', flag: undefined, env: {}, cwd: withLocal, expected: join(withLocal, 'finops.config.yaml') },
    { name: 'nothing is chosen when no file is named or present', flag: undefined, env: {}, cwd: dir, expected: undefined },
  ];
  it.each(cases)('$name', ({ flag, env, cwd, expected }) => {
    expect(resolveConfigPath(flag, env, cwd)).toBe(expected);
  });

  it('a file that was named but does not exist is an error, not a silent switch to the defaults', async () => {
    await expect(loadFinopsConfig(join(dir, 'nope.yaml'))).rejects.toThrow(/nope\.yaml does not exist: fix the path/);
  });

  it("reads a file, naming it in its config, with a relative price file resolved against the file's folder", async () => {
    const path = join(dir, 'finops.config.yaml');
    writeFileSync(path, file('pricing:\n  negotiated_prices: prices/negotiated.csv\n'));
    const config = await loadFinopsConfig(path);
    expect(config.source).toBe(path);
    expect(config.pricing.negotiated_prices).toBe(join(dir, 'prices/negotiated.csv'));
  });
});

describe('the closest key', () => {
  const cases = [
    { typed: 'retry_cpa', expected: 'retry_cap' },
    { typed: 'Retry_Cap', expected: 'retry_cap' },
    { typed: 'ownr', expected: 'owner' },
    { typed: 'fallback_model', expected: 'fallback_models' },
    { typed: 'zebra', expected: undefined },
  ];
  it.each(cases)('of $typed is $expected', ({ typed, expected }) => {
    expect(closestKey(typed, ['retry_cap', 'quality_bar', 'fallback_models', 'owner'])).toBe(expected);
  });
});
