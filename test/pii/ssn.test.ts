import { describe, expect, it } from 'vitest';
import { isSsn, ssnRule } from '../../functions/pii/ssn.js';

describe('isSsn', () => {
  it.each([
    { ssn: '536-22-4197', valid: true, why: 'an ordinary number' },
    { ssn: '001-01-0001', valid: true, why: 'the lowest issued area, group and serial' },
    { ssn: '899-99-9999', valid: true, why: 'the highest issued area' },
    { ssn: '000-12-3456', valid: false, why: 'area 000 is never issued' },
    { ssn: '666-12-3456', valid: false, why: 'area 666 is never issued' },
    { ssn: '900-12-3456', valid: false, why: 'areas 900-999 are never issued (ITINs use them)' },
    { ssn: '999-12-3456', valid: false, why: 'areas 900-999 are never issued' },
    { ssn: '123-00-4567', valid: false, why: 'group 00 is never issued' },
    { ssn: '123-45-0000', valid: false, why: 'serial 0000 is never issued' },
    { ssn: '078-05-1120', valid: false, why: 'the voided Woolworth wallet number' },
    { ssn: '219-09-9999', valid: false, why: 'the voided advertising number' },
  ])('says $ssn is an SSN: $valid ($why)', ({ ssn, valid }) => {
    expect(isSsn(ssn)).toBe(valid);
  });
});

describe('the SSN pattern', () => {
  const matches = (text: string) => [...text.matchAll(ssnRule.pattern)].map((m) => m[0]);

  it('finds numbers written with dashes or spaces', () => {
    expect(matches('a 536-22-4197 b 536 22 4197')).toEqual(['536-22-4197', '536 22 4197']);
  });

  it('does not mix separators, nor take nine bare digits, nor a part of a longer number', () => {
    expect(matches('536-22 4197 536224197 1536-22-4197 536-22-41970 2026-536-22-4197')).toEqual([]);
  });
});
