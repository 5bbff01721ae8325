import { createHmac } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { emailRule } from './email.js';
import { phoneRule } from './phone.js';
import { redact } from './redact.js';

/**
 * `customer_id` is for grouping spend by customer, so it must stay stable, but it must never be an email or a phone
 * number (sql/schema/llm_calls.json). A customer_id that holds any PII (in practice an email or a phone) becomes
 * `anon_` + the first 128 bits of HMAC-SHA256(salt, normalized value) in hex: the same customer always gets the same
 * pseudonym, so chargeback by customer still works, while nobody can recover the value from the ledger. A plain
 * sha256 would not do: the space of emails and phone numbers is small enough to hash every candidate and look the
 * result up; the keyed hash cannot be computed without the salt, which lives outside the ledger.
 *
 * The salt comes from the environment variable FINOPS_PII_SALT (a secret, 16 characters or more; in the cloud, from
 * Secret Manager), never from the config file, which is checked in next to the code. Without a salt the value is
 * redacted like free text (`[EMAIL]`): safe, but every such customer then looks the same.
 *
 * Normalizing first makes `Ann@Example.org` and `ann@example.org`, or `+1 (415) 555-0132` and `+1-415-555-0132`, one
 * customer: emails lower-cased, phone numbers reduced to `+` and digits.
 */
export const piiSaltVariable = 'FINOPS_PII_SALT';

/** A validated salt: what pseudonymizeCustomerId keys its hash with. */
export interface PseudonymSalt {
  readonly secret: string;
}

/** The salt from the environment, or undefined when it is not set; a salt too short to resist guessing is an error. */
export function piiSaltFrom(env: NodeJS.ProcessEnv): PseudonymSalt | undefined {
  const secret = env[piiSaltVariable]?.trim();
  if (!secret) return undefined;
  if (secret.length < 16) {
    throw new ConfigError(`${piiSaltVariable} is ${secret.length} characters long: use a random secret of 16 or more (e.g. \`openssl rand -hex 32\`)`);
  }
  return { secret };
}

const pseudonymPrefix = 'anon_';

/** Keeps a customer_id without PII as it is; one with PII becomes its keyed pseudonym (redacted, with no salt). */
export function pseudonymizeCustomerId(value: string, salt: PseudonymSalt | undefined): string {
  const { text, found } = redact(value);
  if (found.length === 0) return value;
  if (!salt) return text;
  const digest = createHmac('sha256', salt.secret).update(normalize(value.trim())).digest('hex');
  return pseudonymPrefix + digest.slice(0, 32);
}

function normalize(value: string): string {
  if (fullMatch(emailRule.pattern, value)) return value.toLowerCase();
  if (fullMatch(phoneRule.pattern, value)) return (value.startsWith('+') ? '+' : '') + value.replace(/\D/g, '');
  return value;
}

function fullMatch(pattern: RegExp, value: string): boolean {
  pattern.lastIndex = 0;
  const match = pattern.exec(value);
  return match !== null && match.index === 0 && match[0].length === value.length;
}
