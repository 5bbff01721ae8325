import type { PiiRule } from './rule.js';

/**
 * National ids: the UK National Insurance number (NINO), `AB 12 34 56 C` with or without spaces, in capitals, as
 * HMRC issues them: two prefix letters (not D, F, I, Q, U or V; the second not O either), six digits and a suffix
 * A-D; the prefixes BG, GB, KN, NK, NT, TN and ZZ are never issued (https://www.gov.uk/hmrc-internal-manuals/
 * national-insurance-manual/nim39110). US SSNs have their own rule (ssn.ts) and IBANs theirs (iban.ts). Other
 * countries' ids are mostly bare digit runs (a German tax id, a French NIR) that cannot be told from order numbers
 * without context, so they are not matched here: prefer keeping them out of the logs at the source.
 */
const neverIssued = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

export const ninoRule: PiiRule = {
  kind: 'national_id',
  pattern: /(?<![\w-])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w-])/g,
  accept: (match) => !neverIssued.has(match.slice(0, 2)),
  hint: '[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]',
};
