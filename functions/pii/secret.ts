import type { PiiRule } from './rule.js';

/**
 * Secrets: credentials that give access to something, whoever holds them. They come first in the rule order, so a
 * key full of digits is taken whole as a `[SECRET]` and never half-redacted as a phone or a card number.
 *
 * - PEM private keys, the whole block from `-----BEGIN ... PRIVATE KEY-----` to its END line (or to the end of the
 *   text when it was cut off).
 * - JWTs: three base64url parts, the first two JSON objects (so they start `eyJ`, the encoding of `{"`).
 * - Provider keys, by their documented prefixes: OpenAI `sk-`, `sk-proj-`, `sk-svcacct-`, Anthropic `sk-ant-`,
 *   Google `AIza` + 35, AWS access key ids `AKIA`/`ASIA` + 16, GitHub `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36 and
 *   `github_pat_`, Slack `xoxb-`/`xoxp-`/`xoxa-`/`xoxs-`/`xoxr-` and webhook URLs, Stripe `sk_live_`/`rk_live_`
 *   (and `_test_`), Hugging Face `hf_`, Groq `gsk_`, xAI `xai-`. A generic `sk-...` body must look random (a
 *   digit, or upper and lower case letters) so that a prompt id like `sk-learn-regression-explainer` stays.
 * - Bearer tokens (`Bearer <token>`) and Basic credentials after `Authorization:`.
 * - Credentials in URLs (`https://user:password@host`: the `user:password` part).
 * - Assignments to a credential-named key (`api_key=...`, `"client_secret": "..."`, `password: ...`): the value.
 *   Bare `token` is not such a key, so `prompt_tokens: 1234` stays.
 */

/** An RE2 and JavaScript pattern matching `word` in any case (RE2's `(?i)` is not JavaScript). */
const caseless = (word: string) => [...word].map((c) => (/[a-z]/.test(c) ? `[${c.toUpperCase()}${c}]` : c)).join('');

const looksRandom = (body: string) => /\d/.test(body) || (/[a-z]/.test(body) && /[A-Z]/.test(body));

const pem: PiiRule = {
  kind: 'secret',
  pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  hint: '-----BEGIN [A-Z0-9 ]*PRIVATE KEY',
};

const jwt: PiiRule = {
  kind: 'secret',
  pattern: /(?<![\w-])eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/g,
  hint: 'eyJ[A-Za-z0-9_-]{8,}\\.eyJ',
};

const prefixed = [
  'sk-ant-[\\w-]{20,}',
  'sk_(?:live|test)_[A-Za-z0-9]{16,}',
  'rk_(?:live|test)_[A-Za-z0-9]{16,}',
  'AIza[\\w-]{35}',
  '(?:AKIA|ASIA)[A-Z0-9]{16}',
  'gh[pousr]_[A-Za-z0-9]{36,}',
  'github_pat_\\w{22,}',
  'xox[abprs]-[A-Za-z0-9-]{10,}',
  'https://hooks\\.slack\\.com/services/[A-Za-z0-9/_-]{20,}',
  'hf_[A-Za-z0-9]{30,}',
  'gsk_[A-Za-z0-9]{40,}',
  'xai-[A-Za-z0-9]{40,}',
];

const providerKey: PiiRule = {
  kind: 'secret',
  pattern: new RegExp(`(?<![\\w-])(?:${prefixed.join('|')})`, 'g'),
  hint: 'sk-ant-|[sr]k_(live|test)_|AIza|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|hooks\\.slack\\.com|hf_|gsk_|xai-',
};

const genericSk: PiiRule = {
  kind: 'secret',
  pattern: /(?<![\w-])sk-(?:proj-|svcacct-|admin-)?[\w-]{20,}/g,
  accept: (match) => looksRandom(match.slice(3)),
  hint: 'sk-[A-Za-z0-9_-]{20,}',
};

const bearer: PiiRule = {
  kind: 'secret',
  pattern: /\b(?:[Bb]earer|BEARER)\s+[\w.~+/-]{16,}=*|(?<=\bAuthorization:\s*)Basic\s+[A-Za-z0-9+/]{12,}={0,2}/g,
  hint: `(${caseless('bearer')}|Basic)\\s+[A-Za-z0-9._~+/-]{12,}`,
};

const urlCredentials: PiiRule = {
  kind: 'secret',
  pattern: /(?<=[a-z][a-z0-9+.-]*:\/\/)[^\s:/@"']+:[^\s/@"']+(?=@)/g,
  hint: '://[^\\s:/@]+:[^\\s/@]+@',
};

const assignment: PiiRule = {
  kind: 'secret',
  pattern:
    /(?<=\b(?:api[_-]?key|apikey|x-api-key|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|aws[_-]?secret[_-]?access[_-]?key|password|passwd)["']?\s*[:=]\s*["']?)[^\s"',;}]{8,}/gi,
  accept: (value) => !value.startsWith('['),
  hint: `(${['key', 'secret', 'token', 'passw'].map(caseless).join('|')})[a-zA-Z]*["']?\\s*[:=]`,
};

/** In order: blocks and structured tokens before the prefixes they might contain. */
export const secretRules: readonly PiiRule[] = [pem, jwt, providerKey, genericSk, bearer, urlCredentials, assignment];
