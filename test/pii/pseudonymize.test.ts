import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/errors.js';
import { piiSaltFrom, pseudonymizeCustomerId } from '../../functions/pii/pseudonymize.js';
import { redact } from '../../functions/pii/redact.js';

const salt = { secret: 'test-salt-0123456789abcdef' };
const otherSalt = { secret: 'another-salt-fedcba9876543210' };

describe('pseudonymizeCustomerId', () => {
  it('keeps a customer id that holds no PII as it is', () => {
    for (const id of ['cus_100234', 'acct-42', '5f0c3a9e-1d2b-4c6e-8f7a-9b0c1d2e3f4a', 'ACME Corp']) {
      expect(pseudonymizeCustomerId(id, salt)).toBe(id);
    }
  });

  it('replaces an email or a phone with anon_ and 32 hex digits, holding no PII itself', () => {
    for (const id of ['ann.lee@example.com', '+1 415-555-0132']) {
      const pseudonym = pseudonymizeCustomerId(id, salt);
      expect(pseudonym).toMatch(/^anon_[0-9a-f]{32}$/);
      expect(redact(pseudonym).found).toEqual([]);
    }
  });

  it('is stable: the same customer always gets the same pseudonym, however the value is written', () => {
    const a = pseudonymizeCustomerId('Ann.Lee@Example.com', salt);
    expect(pseudonymizeCustomerId('ann.lee@example.com', salt)).toBe(a);
    expect(pseudonymizeCustomerId(' ann.lee@example.com ', salt)).toBe(a);
    expect(pseudonymizeCustomerId('+1 (415) 555-0132', salt)).toBe(pseudonymizeCustomerId('+1-415-555-0132', salt));
  });

  it('gives different customers different pseudonyms', () => {
    expect(pseudonymizeCustomerId('ann@example.com', salt)).not.toBe(pseudonymizeCustomerId('bob@example.com', salt));
  });

  it('is salted: another salt gives another pseudonym', () => {
    expect(pseudonymizeCustomerId('ann@example.com', salt)).not.toBe(pseudonymizeCustomerId('ann@example.com', otherSalt));
  });

  it('cannot be reversed by hashing candidate values with a plain sha256', () => {
    const pseudonym = pseudonymizeCustomerId('ann@example.com', salt).slice('anon_'.length);
    for (const guess of ['ann@example.com', 'Ann@Example.com']) {
      const plain = createHash('sha256').update(guess).digest('hex');
      expect(plain.startsWith(pseudonym)).toBe(false);
      expect(plain).not.toContain(pseudonym);
    }
  });

  it('redacts the value like free text when no salt is set', () => {
    expect(pseudonymizeCustomerId('ann@example.com', undefined)).toBe('[EMAIL]');
    expect(pseudonymizeCustomerId('cus_100234', undefined)).toBe('cus_100234');
  });
});

describe('piiSaltFrom', () => {
  it('reads FINOPS_PII_SALT, and nothing when it is not set', () => {
    expect(piiSaltFrom({ FINOPS_PII_SALT: ' 0123456789abcdef0123 ' })).toEqual({ secret: '0123456789abcdef0123' });
    expect(piiSaltFrom({})).toBeUndefined();
    expect(piiSaltFrom({ FINOPS_PII_SALT: '  ' })).toBeUndefined();
  });

  it('refuses a salt too short to resist guessing, saying how to make one', () => {
    expect(() => piiSaltFrom({ FINOPS_PII_SALT: 'short' })).toThrow(ConfigError);
    expect(() => piiSaltFrom({ FINOPS_PII_SALT: 'short' })).toThrow(/FINOPS_PII_SALT is 5 characters long: use a random secret of 16 or more/);
  });
});
