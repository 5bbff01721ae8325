/**
 * The kinds of personal data and secrets the redactor finds, and the typed placeholder each is replaced with. A
 * placeholder names what was there (`[EMAIL]`), so a log stays readable, and holds no digit, `@` or `:`, so no rule
 * matches it again: redacting twice changes nothing.
 */
export const piiKinds = ['secret', 'email', 'iban', 'card', 'ssn', 'national_id', 'ip', 'phone'] as const;

export type PiiKind = (typeof piiKinds)[number];

/** `email` -> `[EMAIL]`. */
export function placeholder(kind: PiiKind): string {
  return `[${kind.toUpperCase()}]`;
}

/** What a kind is, for a sentence a person reads (a finding's summary). */
export const piiKindNames: Record<PiiKind, string> = {
  secret: 'a secret: an API key, token or private key',
  email: 'an email address',
  iban: 'an IBAN bank account number',
  card: 'a payment card number',
  ssn: 'a US social security number',
  national_id: 'a UK National Insurance number',
  ip: 'an IP address',
  phone: 'a phone number',
};
