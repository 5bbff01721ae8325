import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../functions/config/finops-config.js';
import { billingAccount } from '../../functions/reports/billing-account.js';
import { configFrom } from '../support/ledger.js';

const config = configFrom('version: 1\nbilling:\n  accounts:\n    openai: {id: org-AbC123, name: Acme on OpenAI}\n    Azure: {id: sub-42}\n');

describe('the billing account behind a provider’s charges', () => {
  it.each([
    { name: 'a provider the config lists gets its account', provider: 'openai', account: { id: 'org-AbC123', name: 'Acme on OpenAI' } },
    { name: 'providers match the config whatever their case', provider: 'OpenAI', account: { id: 'org-AbC123', name: 'Acme on OpenAI' } },
    { name: 'an account without a name takes the provider’s', provider: 'azure', account: { id: 'sub-42', name: 'Microsoft Azure' } },
    { name: 'a provider not listed is its own account', provider: 'Anthropic', account: { id: 'anthropic', name: 'Anthropic' } },
    { name: 'calls with no provider bill to the unknown account', provider: null, account: { id: 'unknown', name: 'Unknown provider' } },
  ])('$name', ({ provider, account }) => {
    expect(billingAccount(config, provider)).toEqual(account);
  });

  it('defaults every provider to its own account when the config has no billing section', () => {
    expect(billingAccount(defaultConfig, 'openai')).toEqual({ id: 'openai', name: 'OpenAI' });
  });

  it('takes the account of calls with no provider from the key unknown', () => {
    expect(billingAccount(configFrom('version: 1\nbilling:\n  accounts:\n    unknown: {id: acct-7}\n'), null)).toEqual({ id: 'acct-7', name: 'Unknown provider' });
  });

  it('rejects an account with no id, naming the key and an example', () => {
    expect(() => configFrom('version: 1\nbilling:\n  accounts:\n    openai: {name: Acme}\n')).toThrow(/billing\.accounts\.openai\.id.*e\.g\. id: org-AbC123/);
  });
});
