import { cardRule } from './card.js';
import { emailRule } from './email.js';
import { ibanRule } from './iban.js';
import { ipv4Rule, ipv6Rule } from './ip.js';
import { ninoRule } from './national-id.js';
import { phoneRule } from './phone.js';
import type { PiiRule } from './rule.js';
import { secretRules } from './secret.js';
import { ssnRule } from './ssn.js';

/**
 * The one definition of PII in ai-finops: the rules, in the order they run. Each rule sees the text as the rules
 * before it left it, so the order settles overlaps:
 * 1. secrets, whose random bodies hold digit runs, emails (`https://user:pw@host`) and phone-like groups;
 * 2. emails, whose local parts may hold digits;
 * 3. IBANs and card numbers, the longest numbers, with check digits;
 * 4. SSNs and national ids, fixed shapes;
 * 5. IP addresses, before phones, so `10.0.0.12` is an address and never a dotted phone number; IPv6 first, so
 *    `::ffff:198.51.100.23` goes whole;
 * 6. phone numbers, the loosest shape, last.
 * The redactor (redact.ts) and the pii-scan job (functions/detect/pii-scan.ts) both use this list.
 */
export const piiRules: readonly PiiRule[] = [...secretRules, emailRule, ibanRule, cardRule, ssnRule, ninoRule, ipv6Rule, ipv4Rule, phoneRule];

/**
 * The pii-scan job's SQL prefilter: one RE2 pattern, any rule's hint. A value it does not match cannot hold PII by
 * any rule, so the database returns only candidates and the rules above decide.
 */
export const piiPrefilter = piiRules.map((rule) => `(?:${rule.hint})`).join('|');
