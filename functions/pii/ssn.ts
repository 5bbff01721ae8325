import type { PiiRule } from './rule.js';

/**
 * US social security numbers written `AAA-GG-SSSS` (or with spaces). Numbers the SSA never issues are not SSNs:
 * area 000, 666 or 900-999, group 00, serial 0000 (https://www.ssa.gov/employer/randomization.html), nor the two
 * that were printed in advertising and voided (078-05-1120, 219-09-9999). Nine digits with no separators are left
 * alone: as often an order number as an SSN, and a ledger is full of long numbers.
 */
export function isSsn(text: string): boolean {
  const [area, group, serial] = text.split(/[- ]/);
  if (!area || !group || !serial) return false;
  const a = Number(area);
  const digits = area + group + serial;
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000' && digits !== '078051120' && digits !== '219099999';
}

export const ssnRule: PiiRule = {
  kind: 'ssn',
  pattern: /(?<![\w.-])\d{3}([- ])\d{2}\1\d{4}(?![\w-]|\.\d)/g,
  accept: isSsn,
  hint: '[0-9]{3}[- ][0-9]{2}[- ][0-9]{4}',
};
