import { describe, expect, it } from 'vitest';
import { piiPrefilter, piiRules } from '../../functions/pii/rules.js';
import { negatives, positives } from './corpus.js';

describe('the rules', () => {
  it('are global patterns, so a text with several pieces of PII loses them all', () => {
    for (const rule of piiRules) expect(rule.pattern.flags, rule.pattern.source).toContain('g');
  });

  it('run the secrets first and the phone numbers last', () => {
    const kinds = piiRules.map((r) => r.kind);
    expect(kinds.lastIndexOf('secret')).toBeLessThan(kinds.indexOf('email'));
    expect(kinds.at(-1)).toBe('phone');
  });
});

describe('the SQL prefilter', () => {
  const prefilter = new RegExp(piiPrefilter);

  it('selects every text of the corpus that holds PII', () => {
    for (const entry of positives) expect(entry.text, entry.text).toMatch(prefilter);
  });

  it("selects every text a rule finds something in on its own (each hint covers its rule)", () => {
    for (const rule of piiRules) {
      const hint = new RegExp(rule.hint);
      for (const entry of positives) {
        const accepted = [...entry.text.matchAll(rule.pattern)].filter((m) => !rule.accept || rule.accept(m[0]));
        if (accepted.length > 0) expect(entry.text, rule.hint).toMatch(hint);
      }
    }
  });

  it('passes over most of the values a ledger is full of', () => {
    const selected = negatives.filter((e) => prefilter.test(e.text));
    expect(selected.length).toBeLessThan(negatives.length / 2);
  });

  it('uses no JavaScript-only syntax that RE2 (DuckDB, BigQuery) rejects: no lookaround, no backreference', () => {
    expect(piiPrefilter).not.toMatch(/\(\?<?[=!]|\\[1-9]|\(\?[a-z]/);
  });
});
