import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../functions/config/settings.js';

describe('the settings', () => {
  it('hold FINOPS_PII_SALT, trimmed, as the pseudonym salt, and none when it is not set', () => {
    expect(parseSettings({ FINOPS_PII_SALT: ' 0123456789abcdef0123\n' }).piiSalt).toEqual({ secret: '0123456789abcdef0123' });
    expect(parseSettings({}).piiSalt).toBeUndefined();
  });

  it('refuse a FINOPS_PII_SALT too short to resist guessing', () => {
    expect(() => parseSettings({ FINOPS_PII_SALT: 'short' })).toThrow(/FINOPS_PII_SALT is 5 characters long/);
  });
});
