import { formatCount } from '../format/table.js';

/**
 * Token counts as a person reads them at the scale of months and break-evens: billions as '6.4B', below that
 * formatCount's compact form ('350.2M', '45k', '9,144').
 */
export function formatTokens(n: number): string {
  return Math.abs(n) >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : formatCount(Math.round(n), true);
}
