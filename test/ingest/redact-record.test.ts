import { describe, expect, it } from 'vitest';
import { customerKeys, redactIncoming } from '../../functions/ingest/redact-record.js';

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

describe('redacting the customer fields of foreign shapes', () => {
  const customers = customerKeys({ feature_attributes: [], segment_attributes: [], customer_attributes: ['app.customer_id'] });
  const pseudonym = redactIncoming({ customer_id: 'ann@example.com' }, salt) as { customer_id: string };

  it.each([
    ['LiteLLM end_user', { end_user: 'ann@example.com' }, { end_user: pseudonym.customer_id }],
    ['a configured key in nested metadata', { metadata: { 'app.customer_id': 'ann@example.com' } }, { metadata: { 'app.customer_id': pseudonym.customer_id } }],
    ['an OTLP attribute', { attributes: [{ key: 'app.customer_id', value: { stringValue: 'ann@example.com' } }] }, { attributes: [{ key: 'app.customer_id', value: { stringValue: pseudonym.customer_id } }] }],
    ['a LiteLLM tag', { request_tags: ['app.customer_id:ann@example.com', 'note ann@example.com'] }, { request_tags: [`app.customer_id:${pseudonym.customer_id}`, 'note [EMAIL]'] }],
  ])('pseudonymizes %s as it does customer_id', (_, record, expected) => {
    expect(redactIncoming(record, salt, customers)).toEqual(expected);
  });
});
