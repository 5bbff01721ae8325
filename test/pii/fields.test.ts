import { describe, expect, it } from 'vitest';
import { piiFieldPolicy, redactRecord, scannedFields, type FieldPolicy, type PiiTable } from '../../functions/pii/fields.js';
import { tables } from '../../functions/schema/tables.js';

const policyTables = Object.keys(piiFieldPolicy) as PiiTable[];

describe('the PII field policy', () => {
  it.each(policyTables)('puts every string column of %s in exactly one list, and names no other column', (table) => {
    const policy: FieldPolicy = piiFieldPolicy[table];
    const listed = [...policy.redact, ...policy.pseudonymize, ...policy.identifiers, ...policy.system];
    const strings = tables[table].columns.filter((c) => c.type === 'STRING').map((c) => c.name);
    expect([...listed].sort()).toEqual([...strings].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('redacts the quarantine\'s whole raw record and its reason, and scans every field it does not write itself', () => {
    expect(piiFieldPolicy.quarantine.redact).toEqual(expect.arrayContaining(['record', 'reason']));
    expect(scannedFields('llm_calls')).not.toContain('load_id');
    expect(scannedFields('llm_calls')).toEqual(expect.arrayContaining(['call_id', 'customer_id', 'feature', 'prompt_id']));
  });
});

describe('redactRecord', () => {
  const salt = { secret: 'test-salt-0123456789abcdef' };
  const call = {
    call_id: 'c-ann@example.com',
    feature: 'support_bot',
    segment: 'pilot for +44 20 7946 0958',
    customer_id: 'ann@example.com',
    model: 'gpt-4o-2024-08-06',
    input_tokens: 1200,
  };

  it('redacts free text, pseudonymizes customer_id and keeps identifiers and numbers as sent', () => {
    const { record, found } = redactRecord('llm_calls', call, salt);
    expect(record).toEqual({
      ...call,
      segment: 'pilot for [PHONE]',
      customer_id: expect.stringMatching(/^anon_[0-9a-f]{32}$/),
    });
    expect(found).toEqual([
      { field: 'segment', kinds: ['phone'] },
      { field: 'customer_id', kinds: ['email'] },
    ]);
  });

  it('does not change the record it was given', () => {
    const copy = structuredClone(call);
    redactRecord('llm_calls', call, salt);
    expect(call).toEqual(copy);
  });

  it('returns a clean record itself, with nothing found', () => {
    const clean = { call_id: 'c-1', feature: 'support_bot', model: 'claude-3-5-sonnet-20241022', customer_id: 'cus_1' };
    const result = redactRecord('llm_calls', clean, salt);
    expect(result.record).toBe(clean);
    expect(result.found).toEqual([]);
  });

  it('redacts a quarantined record as text', () => {
    const rejected = { reason: 'customer_id "ann@example.com" is not allowed', record: '{"customer_id":"ann@example.com"}' };
    expect(redactRecord('quarantine', rejected, salt).record).toEqual({
      reason: 'customer_id "[EMAIL]" is not allowed',
      record: '{"customer_id":"[EMAIL]"}',
    });
  });
});
