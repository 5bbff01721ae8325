import { describe, expect, it } from 'vitest';
import { redactIncoming } from '../../functions/ingest/redact-record.js';

const salt = { secret: 'a-test-salt-that-is-long-enough' };

describe('redacting an incoming record', () => {
  it('redacts free text, unknown fields and nested strings, and keeps the identifiers as sent', () => {
    const record = {
      call_id: 'ann@example.com',
      request_id: 'req-1',
      feature: 'bot for ann@example.com',
      input_tokens: 12,
      note: 'card 4111 1111 1111 1111',
      metadata: { tags: ['call +44 20 7946 0958'], spanId: '4111111111111111' },
    };
    expect(redactIncoming(record, salt)).toEqual({
      call_id: 'ann@example.com',
      request_id: 'req-1',
      feature: 'bot for [EMAIL]',
      input_tokens: 12,
      note: 'card [CARD]',
      metadata: { tags: ['call [PHONE]'], spanId: '4111111111111111' },
    });
  });

  it('turns a customer_id holding an email into its keyed pseudonym, the same for the same customer', () => {
    const a = redactIncoming({ customer_id: 'Ann@Example.com' }, salt) as { customer_id: string };
    const b = redactIncoming({ customer_id: 'ann@example.com' }, salt) as { customer_id: string };
    expect(a.customer_id).toMatch(/^anon_[0-9a-f]{32}$/);
    expect(b.customer_id).toBe(a.customer_id);
  });

  it('redacts an identifier that is not a string, since nothing dedupes on it', () => {
    expect(redactIncoming({ call_id: { email: 'ann@example.com' } }, salt)).toEqual({ call_id: { email: '[EMAIL]' } });
  });

  it('returns a clean record as it is, uncopied', () => {
    const record = { feature: 'support_bot', model: 'gpt-4o-mini', tags: ['a', 'b'] };
    expect(redactIncoming(record, salt)).toBe(record);
  });

  it('redacts a record that is a bare string', () => {
    expect(redactIncoming('mail ann@example.com', salt)).toBe('mail [EMAIL]');
  });
});
