import type { PiiRule } from './rule.js';

/**
 * Email addresses: a local part of the characters mail systems use (letters, digits, `.`, `_`, `%`, `+`, `-`), `@`,
 * and a domain of at least two labels ending in a top-level domain of letters. Versioned prompt ids such as
 * `summarize@v3` and Vertex model ids such as `claude-3-5-sonnet@20240620` have no dotted domain, so they stay.
 * Quoted local parts and IP-literal domains (RFC 5322 allows both) are left out: no one logs them by accident.
 */
export const emailRule: PiiRule = {
  kind: 'email',
  pattern: /(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-])/g,
  hint: '@[A-Za-z0-9-]+\\.',
};
