import type { PiiKind } from '../../functions/pii/kinds.js';

/**
 * Strings as they reach a cost ledger (prompt ids, segments, customer ids, rejected records, error reasons), each
 * labelled with the kinds of PII it holds. Positives carry the text the redactor must make of them; negatives are
 * the values a ledger is full of and that must come through untouched: model ids, prompt ids, hashes, UUIDs,
 * dates, timestamps, versions, counts and prices. Every value is fictional: documentation ranges for addresses
 * (192.0.2.0/24, 2001:db8::/32), 555-01xx phone numbers, the card schemes' published test numbers, the IBAN
 * registry's examples, random bodies for keys.
 */
export interface CorpusEntry {
  text: string;
  kinds: PiiKind[];
  /** What the redactor must make of a positive. */
  redacted?: string;
}

const pem = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAxuI5aHUQPFeNBTxaQWk8JzFalHlsZfYcMMDktXP/tKsf2rcD',
  'kdfrUnW5gcF+Ha6iA+C5Q52ryFlwRlOEVHzc0X0AWIRh+JUqBlIFXZ53kdfrUnW5',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

export const positives: CorpusEntry[] = [
  // emails
  { text: 'ann.lee@example.com', kinds: ['email'], redacted: '[EMAIL]' },
  { text: 'Escalate to J.Doe+billing@mail.example.co.uk please', kinds: ['email'], redacted: 'Escalate to [EMAIL] please' },
  { text: '{"customer_id":"maria_garcia-88@example.org","feature":"support_bot"}', kinds: ['email'], redacted: '{"customer_id":"[EMAIL]","feature":"support_bot"}' },
  { text: 'cc: ops@example.io, finance@sub.example.travel', kinds: ['email'], redacted: 'cc: [EMAIL], [EMAIL]' },
  { text: 'user 4471@example.net asked for a refund', kinds: ['email'], redacted: 'user [EMAIL] asked for a refund' },
  // phones
  { text: 'call +44 20 7946 0958 after 5pm', kinds: ['phone'], redacted: 'call [PHONE] after 5pm' },
  { text: 'Tel. +1 (415) 555-0132', kinds: ['phone'], redacted: 'Tel. [PHONE]' },
  { text: '+14155550132', kinds: ['phone'], redacted: '[PHONE]' },
  { text: 'mobile: +33 6 12 34 56 78', kinds: ['phone'], redacted: 'mobile: [PHONE]' },
  { text: '+81-3-1234-5678', kinds: ['phone'], redacted: '[PHONE]' },
  { text: '+49 30 901820', kinds: ['phone'], redacted: '[PHONE]' },
  { text: 'reach me at (212) 555-0199', kinds: ['phone'], redacted: 'reach me at [PHONE]' },
  { text: 'cell 312-555-0147.', kinds: ['phone'], redacted: 'cell [PHONE].' },
  { text: 'ph 646.555.0110', kinds: ['phone'], redacted: 'ph [PHONE]' },
  { text: '1-800-555-0175 is the hotline', kinds: ['phone'], redacted: '[PHONE] is the hotline' },
  { text: 'customer:+91 98765 43210', kinds: ['phone'], redacted: 'customer:[PHONE]' },
  // payment cards
  { text: 'card 4111 1111 1111 1111 exp 12/27', kinds: ['card'], redacted: 'card [CARD] exp 12/27' },
  { text: '5555-5555-5555-4444', kinds: ['card'], redacted: '[CARD]' },
  { text: 'amex 378282246310005', kinds: ['card'], redacted: 'amex [CARD]' },
  { text: 'Amex 3782 822463 10005 on file', kinds: ['card'], redacted: 'Amex [CARD] on file' },
  { text: 'discover: 6011111111111117', kinds: ['card'], redacted: 'discover: [CARD]' },
  { text: 'JCB 3530111333300000', kinds: ['card'], redacted: 'JCB [CARD]' },
  { text: 'diners 30569309025904', kinds: ['card'], redacted: 'diners [CARD]' },
  { text: 'mc 2223003122003222', kinds: ['card'], redacted: 'mc [CARD]' },
  { text: '"pan": "4012888888881881"', kinds: ['card'], redacted: '"pan": "[CARD]"' },
  // US SSNs
  { text: 'SSN 536-22-4197', kinds: ['ssn'], redacted: 'SSN [SSN]' },
  { text: 'ssn: 123 45 6789', kinds: ['ssn'], redacted: 'ssn: [SSN]' },
  { text: 'my social is 772-10-3321, verify me', kinds: ['ssn'], redacted: 'my social is [SSN], verify me' },
  // national ids and bank accounts
  { text: 'NI number AB 12 34 56 C', kinds: ['national_id'], redacted: 'NI number [NATIONAL_ID]' },
  { text: 'nino=JG103759A', kinds: ['national_id'], redacted: 'nino=[NATIONAL_ID]' },
  { text: 'IBAN GB82 WEST 1234 5698 7654 32', kinds: ['iban'], redacted: 'IBAN [IBAN]' },
  { text: 'pay to DE89370400440532013000', kinds: ['iban'], redacted: 'pay to [IBAN]' },
  { text: 'FR14 2004 1010 0505 0001 3M02 606', kinds: ['iban'], redacted: '[IBAN]' },
  // IP addresses
  { text: 'client 192.0.2.44 retried', kinds: ['ip'], redacted: 'client [IP] retried' },
  { text: 'x-forwarded-for: 203.0.113.7, 10.0.0.12', kinds: ['ip'], redacted: 'x-forwarded-for: [IP], [IP]' },
  { text: 'from 2001:db8::8a2e:370:7334', kinds: ['ip'], redacted: 'from [IP]' },
  { text: 'peer=[2001:db8:85a3:0:0:8a2e:370:7334]:443', kinds: ['ip'], redacted: 'peer=[[IP]]:443' },
  { text: 'ip ::ffff:198.51.100.23', kinds: ['ip'], redacted: 'ip [IP]' },
  { text: 'fe80::1ff:fe23:4567:890a%eth0', kinds: ['ip'], redacted: '[IP]%eth0' },
  // secrets
  { text: 'OPENAI_API_KEY=sk-u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAj', kinds: ['secret'], redacted: 'OPENAI_API_KEY=[SECRET]' },
  {
    text: 'key sk-proj-pNxnyVmihA-2O76UMFxFkM-R5Kjp1vRt_1fjORS-6ilI8ihN5KXSc7Tvo-hBKqFYY-kv5ZJr3JT3BlbkFJTAwR4y9ojfljoQoaF1Ll used',
    kinds: ['secret'],
    redacted: 'key [SECRET] used',
  },
  {
    text: 'x-api-key: sk-ant-api03-HKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAWtGSU8po_799NksnRH9ucAUsdMlHUvTCQCyEZDz-TddJ8HyS5SUkCnD8zRAAA',
    kinds: ['secret'],
    redacted: 'x-api-key: [SECRET]',
  },
  { text: 'https://generativelanguage.googleapis.com/v1/models?key=AIza9a9SkpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yB', kinds: ['secret'], redacted: 'https://generativelanguage.googleapis.com/v1/models?key=[SECRET]' },
  { text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', kinds: ['secret'], redacted: 'aws_access_key_id = [SECRET]' },
  { text: 'aws_secret_access_key=A+C5Q52ryFlwRlOEVHzc0X0AWIRh+JUqBlIFXZ53', kinds: ['secret'], redacted: 'aws_secret_access_key=[SECRET]' },
  { text: 'token ghp_bqnsGpWLuqIA1id6Vw5DQL05HA064GiIjHGb', kinds: ['secret'], redacted: 'token [SECRET]' },
  { text: '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', kinds: ['secret'], redacted: '[SECRET]' },
  { text: 'slack xoxb-252427316723-2686563551505-JDCTbyvHNsG9eh6Yo4gfqrc5', kinds: ['secret'], redacted: 'slack [SECRET]' },
  { text: 'stripe sk_live_51XlrWi0B26R08qzjI6GKFSufrdZSlB5er8bOfZqfM2oeq3h', kinds: ['secret'], redacted: 'stripe [SECRET]' },
  { text: 'HF_TOKEN hf_DavJA76rNicHTp8hkqdlm7tOtHWnsCGRlr', kinds: ['secret'], redacted: 'HF_TOKEN [SECRET]' },
  { text: 'Authorization: Bearer ScGebc_y8F5n3.Y_NBDRzrZSgqbjG3uhkW_KFLf6', kinds: ['secret'], redacted: 'Authorization: [SECRET]' },
  { text: 'Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l', kinds: ['secret'], redacted: 'Authorization: [SECRET]' },
  {
    text: 'jwt=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    kinds: ['secret'],
    redacted: 'jwt=[SECRET]',
  },
  { text: `key file:\n${pem}\nend`, kinds: ['secret'], redacted: 'key file:\n[SECRET]\nend' },
  { text: '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ (truncated)', kinds: ['secret'], redacted: '[SECRET]' },
  { text: 'postgres://app:Hunter2Hunter2@db.internal:5432/ledger', kinds: ['secret'], redacted: 'postgres://[SECRET]@db.internal:5432/ledger' },
  { text: '{"password": "correct-horse-battery"}', kinds: ['secret'], redacted: '{"password": "[SECRET]"}' },
  { text: 'hook https://hooks.slack.com/services/T024BE7LD/B08AAAAAAAA/abcdefghijklmnopqrstuvwx', kinds: ['secret'], redacted: 'hook [SECRET]' },
  // several kinds in one text
  {
    text: 'Hi, I am Ann (ann@example.com, +1 415-555-0132), card 4111-1111-1111-1111, from 198.51.100.7',
    kinds: ['email', 'card', 'ip', 'phone'],
    redacted: 'Hi, I am Ann ([EMAIL], [PHONE]), card [CARD], from [IP]',
  },
  {
    text: '{"ts":"2026-11-17T09:00:00Z","call_id":"c-1","model":"gpt-4o","customer_id":"+44 7700 900123","input_tokens":"-5"}',
    kinds: ['phone'],
    redacted: '{"ts":"2026-11-17T09:00:00Z","call_id":"c-1","model":"gpt-4o","customer_id":"[PHONE]","input_tokens":"-5"}',
  },
];

export const negatives: CorpusEntry[] = [
  // model ids
  ...[
    'gpt-4o-2024-08-06',
    'gpt-4o-mini-2024-07-18',
    'gpt-4.1-nano',
    'o3-mini-2025-01-31',
    'claude-3-5-sonnet-20241022',
    'claude-3-5-haiku@20241022',
    'claude-sonnet-4-5-20250929',
    'claude-opus-4-1-20250805',
    'gemini-1.5-pro-002',
    'gemini-2.0-flash-001',
    'models/gemini-2.5-flash-preview-05-20',
    'anthropic.claude-3-5-sonnet-20240620-v1:0',
    'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
    'meta-llama/Llama-3.1-405B-Instruct-FP8',
    'mistral-large-2411',
    'text-embedding-3-large',
    'ft:gpt-4o-mini-2024-07-18:acme-corp:support-v2:9XkL2mQp',
  ],
  // prompt ids, features, segments, providers
  ...['summarize@v3', 'support_bot/triage@v12', 'doc_extraction.invoice.v2025-03', 'sk-learn-regression-explainer', 'search_summaries', 'enterprise-eu', 'tier:pro', 'openai', 'vertex_ai'],
  // ids and hashes
  ...[
    '123e4567-e89b-12d3-a456-426614174000',
    'f47ac10b-58cc-4372-a567-0e02b2c3d479',
    'call_000123',
    'req-2026-11-17-000042',
    'chatcmpl-9XkL2mQpR7vT3wZ8yB1cF6hJ0dG5s',
    'msg_01XFDUDYJgAACzvnptvVoYEL',
    '22f828767efc2f91624a8940f1f836f99eee3692f09e2e8c662248b483b7ffc0',
    'sha256:22f828767efc2f91624a8940f1f836f99eee3692f09e2e8c662248b483b7ffc0',
    '50fec94dbca3a0aac36098b2cc2bd818',
    '319478da6bd0c621de49f145fda9988c79fc3552',
    '01HF8ZQ4W3K2N7P9R5T6V8X0YB',
    'INV-2026-000123',
    'order 123456789',
    'load_20261117_090000_4f2a',
  ],
  // dates, times, numbers
  ...[
    '2026-11-17',
    '2026-11-17T09:00:00Z',
    '2026-11-17T09:00:00.123456+00:00',
    '2026-11-17 09:00:00',
    '11/17/2026',
    '17.11.2026',
    '12:34:56',
    'took 00:01:23.456',
    '1730000000000',
    '1730000000',
    'input_tokens 128000, output_tokens 4096',
    'prompt_tokens: 123456',
    '"cached_input_tokens": 10240',
    'cost 0.000015 USD per token',
    '$1,234,567.89',
    '12.345000000',
    '+149% week over week',
    'latency_ms=2350',
    'p95 1234 ms over 96,047 calls',
    'v1.2.3',
    '1.10.0',
    'version 10.0.19041.1',
    'node 20.19.43',
    '2024-2025',
    'Q3 2026',
  ],
  // near misses
  ...[
    '4111 1111 1111 1112',
    '1234 5678 9012 3456',
    '000-12-3456',
    '666-12-3456',
    '900-12-3456',
    '123-00-4567',
    '123-45-0000',
    '078-05-1120',
    'GB82 WEST 1234 5698 7654 33',
    'QQ 12 34 56 C',
    '999.1.1.1',
    '00:1A:2B:3C:4D:5E',
    'std::vector<int>',
    'Bearer [SECRET]',
    'see [EMAIL] and [PHONE]',
    'password: [SECRET]',
    'no @ here, just text@',
    'reply@localhost',
    'line 3: input_tokens "-5" is not a whole number >= 0',
    'The customer asked about their invoice for November and wants a summary of spend by team.',
  ],
].map((text) => ({ text, kinds: [] }));
