import { describe, expect, it } from 'vitest';
import { renderTable } from '../../functions/format/table.js';
import { piiKinds, placeholder, type PiiKind } from '../../functions/pii/kinds.js';
import { mayHoldPii, redact } from '../../functions/pii/redact.js';
import { negatives, positives, type CorpusEntry } from './corpus.js';

const corpus = [...positives, ...negatives];
const sorted = (kinds: readonly PiiKind[]) => [...kinds].sort();

describe('the redactor over the corpus', () => {
  it('has positives of every kind and negatives of every sort (so the checks below check something)', () => {
    for (const kind of piiKinds) expect(positives.some((e) => e.kinds.includes(kind)), kind).toBe(true);
    expect(negatives.length).toBeGreaterThanOrEqual(80);
  });

  it.each(positives.map((e) => [e.text.slice(0, 70), e] as const))('catches every piece of PII in %j', (_, entry) => {
    const { text, found } = redact(entry.text);
    expect(text).toBe(entry.redacted);
    expect(sorted(found)).toEqual(sorted(entry.kinds));
  });

  it.each(negatives.map((e) => [e.text.slice(0, 70), e] as const))('leaves %j untouched', (_, entry) => {
    expect(redact(entry.text)).toEqual({ text: entry.text, found: [] });
  });

  it('reports precision and recall per kind, and both are 1 on the corpus', () => {
    const rows = piiKinds.map((kind) => score(kind, corpus));
    console.log(
      renderTable(
        [
          { header: 'kind', value: (r) => r.kind },
          { header: 'positives', align: 'right', value: (r) => String(r.tp + r.fn) },
          { header: 'caught', align: 'right', value: (r) => String(r.tp) },
          { header: 'missed', align: 'right', value: (r) => String(r.fn) },
          { header: 'false alarms', align: 'right', value: (r) => String(r.fp) },
          { header: 'precision', align: 'right', value: (r) => r.precision.toFixed(3) },
          { header: 'recall', align: 'right', value: (r) => r.recall.toFixed(3) },
        ],
        rows,
        { title: `PII redaction on the corpus: ${positives.length} positives, ${negatives.length} negatives` },
      ),
    );
    for (const row of rows) expect(row, row.kind).toMatchObject({ precision: 1, recall: 1 });
  });
});

/** Per kind, over the texts: caught (labelled and found), missed (labelled, not found), false alarms (found, not labelled). */
function score(kind: PiiKind, entries: readonly CorpusEntry[]) {
  let tp = 0;
  let fn = 0;
  let fp = 0;
  for (const entry of entries) {
    const labelled = entry.kinds.includes(kind);
    const found = redact(entry.text).found.includes(kind);
    if (labelled && found) tp++;
    else if (labelled) fn++;
    else if (found) fp++;
  }
  return { kind, tp, fn, fp, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
}

describe('redact', () => {
  it.each(positives.map((e) => [e.text.slice(0, 70), e] as const))('changes nothing the second time on %j', (_, entry) => {
    const once = redact(entry.text).text;
    expect(redact(once)).toEqual({ text: once, found: [] });
  });

  it('replaces each kind with its typed placeholder, in capitals and brackets', () => {
    expect(piiKinds.map(placeholder)).toEqual(['[SECRET]', '[EMAIL]', '[IBAN]', '[CARD]', '[SSN]', '[NATIONAL_ID]', '[IP]', '[PHONE]']);
    expect(redact('mail ann@example.org from 192.0.2.1').text).toBe('mail [EMAIL] from [IP]');
  });

  it('names each kind found once, however many times it occurs', () => {
    expect(redact('a@example.com, b@example.com and c@example.com').found).toEqual(['email']);
  });

  it('takes a key whole as a secret, never part of it as a phone or a card', () => {
    const key = 'sk-proj-4111111111111111-415-555-0132-abcdefABCDEF';
    expect(redact(`key ${key}`)).toEqual({ text: 'key [SECRET]', found: ['secret'] });
  });

  it('gives the same answer for a text it has seen before as the first time', () => {
    for (const text of ['gpt-4o-2024-08-06', 'cus_100234', 'ann@example.org']) {
      const first = redact(text);
      expect(redact(text)).toEqual(first);
    }
    expect(redact('ann@example.org').found).toEqual(['email']);
  });

  it('redacts a text longer than the cache holds, like any other', () => {
    const long = `${'lorem ipsum '.repeat(20)} mail ann@example.org ${'dolor '.repeat(20)}`;
    expect(redact(long).text).toBe(long.replace('ann@example.org', '[EMAIL]'));
  });
});

describe('the pre-check', () => {
  it('lets through every text of the corpus that holds PII', () => {
    for (const entry of positives) expect(mayHoldPii(entry.text), entry.text).toBe(true);
  });

  it('rules out short texts with no digit, @, : or =', () => {
    expect(['support_bot', 'enterprise', 'openai', 'free tier'].map(mayHoldPii)).toEqual([false, false, false, false]);
    expect(['v2', 'a@b', 'x:y', 'k=v', 'a sixteen chars!'].map(mayHoldPii)).toEqual([true, true, true, true, true]);
  });
});

/**
 * Trade-offs the rules make on purpose (functions/pii/README.md): pinned here so that changing one is a decision,
 * not an accident. Each would cost more false redactions of ordinary ledger values than it would catch.
 */
describe('the documented limits', () => {
  it.each([
    { what: 'a phone written as bare digits, with no + (as often a count or an id)', text: 'call 4155550132' },
    { what: 'nine bare digits (as often an order number as an SSN)', text: 'ssn 536224197' },
    { what: 'a NINO in lower case', text: 'nino ab123456c' },
    { what: 'national ids that are bare digit runs (a German tax id)', text: 'steuer-id 65929970489' },
  ])('does not catch $what', ({ text }) => {
    expect(redact(text).found).toEqual([]);
  });

  it('takes a four-part version number for an IPv4 address, as it cannot tell them apart', () => {
    expect(redact('build 1.2.3.4').text).toBe('build [IP]');
  });
});
