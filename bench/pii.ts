/**
 * Micro benchmark of PII redaction on the ingest path (a benchmark, not a test):
 *
 *   npm run build && node dist/bench/pii.js [--records 200000] [--pii-share 0.01]
 *
 * Builds call records shaped like the demo's (a UUID call_id, feature, segment, a customer id, provider, model,
 * prompt id, prefix hash), a share of them carrying PII in a free-text field or an email as customer_id, and
 * applies the llm_calls field policy to each (functions/pii/fields.ts: redact, pseudonymize). Prints records per
 * second on one core. The ingest target is 50,000 records/s validated, redacted and priced, so redaction should
 * take a small part of the 20 µs a record may cost.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { formatCount, renderTable } from '../functions/format/table.js';
import { redactRecord } from '../functions/pii/fields.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    'pii-share': { type: 'string', default: '0.01' },
  },
});
const count = Number(values.records);
const piiShare = Number(values['pii-share']);

const features = ['support_bot', 'doc_extraction', 'search_summaries', 'code_review', null];
const models = ['gpt-4o-2024-08-06', 'claude-3-5-sonnet-20241022', 'gemini-2.0-flash-001', 'gpt-4o-mini-2024-07-18'];
const prompts = ['triage@v12', 'summarize@v3', 'extract.invoice.v2025-03', 'review@v7'];
const leaks = ['ann.lee@example.com', 'call +44 20 7946 0958', 'card 4111 1111 1111 1111', 'from 192.0.2.44', 'sk-u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAj'];

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

function record(i: number): Record<string, unknown> {
  const leak = random() < piiShare;
  return {
    ts: '2026-11-17T09:00:00Z',
    call_id: randomUUID(),
    request_id: randomUUID(),
    attempt: 1,
    feature: pick(features),
    segment: leak && i % 2 === 0 ? `team of ${pick(leaks)}` : pick(['free', 'pro', 'enterprise-eu']),
    customer_id: leak && i % 2 === 1 ? 'ann.lee@example.com' : `cus_${100000 + (i % 5000)}`,
    provider: pick(['openai', 'anthropic', 'google']),
    model: pick(models),
    prompt_id: pick(prompts),
    prompt_prefix_hash: randomUUID().replace(/-/g, ''),
    input_tokens: 1200,
    output_tokens: 300,
  };
}

const records = Array.from({ length: count }, (_, i) => record(i));
const salt = { secret: 'bench-salt-0123456789abcdef' };

function run(): { seconds: number; redacted: number } {
  const start = performance.now();
  let redacted = 0;
  for (const r of records) if (redactRecord('llm_calls', r, salt).found.length > 0) redacted++;
  return { seconds: (performance.now() - start) / 1000, redacted };
}

run(); // warm up: compile the patterns and the hot paths
const runs = [run(), run(), run()];
const best = runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
console.log(
  renderTable(
    [
      { header: 'records', align: 'right', value: () => formatCount(count) },
      { header: 'with PII', align: 'right', value: () => formatCount(best.redacted) },
      { header: 'best of 3 (s)', align: 'right', value: () => best.seconds.toFixed(3) },
      { header: 'records/s', align: 'right', value: () => formatCount(Math.round(count / best.seconds)) },
      { header: 'µs/record', align: 'right', value: () => ((best.seconds * 1e6) / count).toFixed(2) },
    ],
    [null],
    { title: 'PII redaction (llm_calls field policy, one core)' },
  ),
);
