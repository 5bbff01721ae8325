import type { PiiKind } from './kinds.js';

/**
 * One way of finding one kind of PII: a precompiled global pattern, an optional check of each match that a pattern
 * cannot express (a Luhn checksum, a number range), and a hint for the SQL prefilter of the pii-scan job.
 */
export interface PiiRule {
  kind: PiiKind;
  /** Global (`g`) pattern; lookarounds keep it from matching inside longer words and numbers. */
  pattern: RegExp;
  /** Confirms a match of `pattern`; a match it rejects is left as it is. */
  accept?: (match: string) => boolean;
  /**
   * An RE2 pattern (the regexp syntax DuckDB and BigQuery share, also valid in JavaScript) that every text this
   * rule matches also matches: the scan selects candidate values with it in SQL, then confirms them with `pattern`.
   */
  hint: string;
}
