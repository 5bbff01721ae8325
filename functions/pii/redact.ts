import { placeholder, type PiiKind } from './kinds.js';
import { piiPrefilter, piiRules } from './rules.js';

/** A redacted text and the kinds of PII that were in it. */
export interface Redaction {
  text: string;
  found: PiiKind[];
}

/**
 * Replaces every piece of PII in a text with its typed placeholder (`Reach me at [EMAIL]`) and says which kinds it
 * found (each once, in rule order). Idempotent: placeholders match no rule, so a redacted text comes back as it is.
 *
 * Speed: the ingest path redacts every string field of every record (target: 50,000 records/s on one core), and
 * almost all of them (feature names, segments, providers) hold nothing. A pre-check over the characters rules out
 * short texts with none of the characters some rule needs before any pattern runs (mayHoldPii), and the names that
 * repeat in every record (models, prompt ids) are answered from a set of texts already found clean.
 *
 * @example redact('call +44 20 7946 0958 or mail ann@example.org') // { text: 'call [PHONE] or mail [EMAIL]', found: ['email', 'phone'] }
 */
export function redact(text: string): Redaction {
  if (!mayHoldPii(text) || knownClean.has(text)) return { text, found: [] };
  if (!prefilter.test(text)) {
    remember(text);
    return { text, found: [] };
  }
  let out = text;
  let found: PiiKind[] | undefined;
  for (const rule of piiRules) {
    rule.pattern.lastIndex = 0;
    if (!rule.pattern.test(out)) continue;
    const { kind, accept } = rule;
    let hit = false;
    out = out.replace(rule.pattern, (match) => {
      if (accept && !accept(match)) return match;
      hit = true;
      return placeholder(kind);
    });
    if (hit) {
      found ??= [];
      if (!found.includes(kind)) found.push(kind);
    }
  }
  if (!found) remember(text);
  return { text: out, found: found ?? [] };
}

/** The rules' hints as one pattern (no `g`: test() keeps no state): a text it does not match holds no PII. */
const prefilter = new RegExp(piiPrefilter);

/**
 * Short texts known to hold no PII. A ledger's names repeat (a few dozen models, prompt ids and segments across
 * millions of calls), so most fields are answered from here without a pattern. Only clean texts are kept, so no
 * PII stays in memory; the set is emptied when full, which keeps it small and its upkeep free.
 */
const knownClean = new Set<string>();
const cleanCacheSize = 4096;
const cleanCacheLength = 96;

function remember(text: string): void {
  if (text.length > cleanCacheLength) return;
  if (knownClean.size >= cleanCacheSize) knownClean.clear();
  knownClean.add(text);
}

/**
 * The cheap pre-check: false only when no rule can match. A match of every rule holds a digit, an `@`, a `:` or an
 * `=` (an assignment) or is at least 16 characters long: the forms of keys and tokens that may hold no digit (an
 * AWS key id, a Bearer token, a PEM header, a JWT) are all longer than that.
 */
export function mayHoldPii(text: string): boolean {
  if (text.length >= 16) return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 58) || c === 64 || c === 61) return true; // a digit or ':' (48-58), '@', '='
  }
  return false;
}
