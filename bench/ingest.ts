/**
 * Benchmark of the ingest path, in-process on the DuckDB engine (a benchmark, not a test):
 *
 *   npm run build && taskset -c 0 node dist/bench/ingest.js [--batches 200] [--batch-size 500] [--pii-share 0.02]
 *
 * Posts nothing over HTTP: it builds request bodies (JSON arrays of realistic call records like the demo's, a share
 * of them carrying PII in a free-text field or an email as customer_id, one in a hundred malformed) and runs each
 * through what the ingest function does after the framework hands it the body: parse and check the batch, redact
 * every record, validate it by the loader's rules and price it from the loader's price list in TypeScript (a
 * native batch: validate-batch.ts), and land it in a DuckDB ledger file (known call_ids, pending days, quarantine,
 * calls, load). Prints two figures and the steps behind them:
 * - validated, redacted and priced: parseBatch and prepareBatch, all the function does to a batch before it writes;
 *   the target is 50,000 records/s on one core (`taskset -c 0` pins the process to one);
 * - end to end: the same plus landBatch's writes: one read of the known call_ids, then four tables written, each
 *   insert into a ledger file costing milliseconds (about 2 ms for one row, 7-9 ms for 500 calls).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultConfig } from '../functions/config/finops-config.js';
import { DuckDBEngine } from '../functions/engine/duckdb.js';
import { formatCount, renderTable } from '../functions/format/table.js';
import { ingestBatch, prepareBatch, type PreparedBatch } from '../functions/ingest/ingest-batch.js';
import { landBatch } from '../functions/ingest/land-batch.js';
import { parseBatch, type Batch } from '../functions/ingest/parse-batch.js';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '200' },
    'batch-size': { type: 'string', default: '500' },
    'pii-share': { type: 'string', default: '0.02' },
  },
});
const batchCount = Number(values.batches);
const batchSize = Number(values['batch-size']);
const piiShare = Number(values['pii-share']);

/** What the calls of a product look like: a feature serves a segment with one model and prompt. */
const slices = [
  { feature: 'support_bot', segment: 'pro', provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', prompt_id: 'triage@v12' },
  { feature: 'doc_extraction', segment: 'enterprise-eu', provider: 'openai', model: 'gpt-4o-2024-08-06', prompt_id: 'extract.invoice.v2025-03' },
  { feature: 'search_summaries', segment: 'free', provider: 'google', model: 'gemini-2.0-flash-001', prompt_id: 'summarize@v3' },
  { feature: 'code_review', segment: 'pro', provider: 'openai', model: 'gpt-4o-mini-2024-07-18', prompt_id: 'review@v7' },
  { feature: null, segment: null, provider: 'openai', model: 'gpt-4o-mini-2024-07-18', prompt_id: null },
];
/** PII as it leaks into a ledger: in a free-text field, or as the customer id. */
const leaks = ['ann.lee@example.com', 'call +44 20 7946 0958', 'card 4111 1111 1111 1111', 'from 192.0.2.44', 'sk-u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAj'];
const leakEvery = Math.max(1, Math.round(1 / piiShare));

/** The i-th call: deterministic, spread over two weeks, token counts varying with i; one in a hundred invalid. */
function record(i: number): Record<string, unknown> {
  const slice = slices[i % slices.length]!;
  const leak = i % leakEvery === 0 ? leaks[(i / leakEvery) % leaks.length] : undefined;
  const input = 500 + ((i * 7919) % 3000);
  return {
    ts: new Date(Date.UTC(2026, 10, 1) + ((i * 104_729) % (14 * 86_400)) * 1000).toISOString(),
    call_id: randomUUID(),
    request_id: randomUUID(),
    attempt: 1,
    ...slice,
    segment: leak && i % 2 === 0 ? `team of ${leak}` : slice.segment,
    customer_id: leak && i % 2 === 1 ? 'ann.lee@example.com' : `cus_${100000 + (i % 5000)}`,
    prompt_prefix_hash: randomUUID().replace(/-/g, ''),
    input_tokens: i % 100 === 99 ? -1 : input,
    cached_input_tokens: (i * 31) % (input >> 1),
    output_tokens: 50 + ((i * 131) % 800),
    latency_ms: 300 + ((i * 17) % 4000),
    status: 'ok',
  };
}

const bodies = Array.from({ length: batchCount }, (_, b) =>
  Buffer.from(JSON.stringify(Array.from({ length: batchSize }, (_, i) => record(b * batchSize + i)))),
);
const limits = defaultConfig.ingest;
const salt = { secret: 'bench-salt-0123456789abcdef' };
const options = { limits, salt, negotiated: [] };

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

const dir = mkdtempSync(join(tmpdir(), 'ai-finops-bench-ingest-'));
const ledger = await DuckDBEngine.open(join(dir, 'ledger.duckdb'));
await ledger.ensureTables();
// Warm up: open the scratch database, compile the patterns and the hot paths.
await ingestBatch(ledger, parseBatch(bodies[0]!, undefined, limits), options);

const endToEnd = await timed(async () => {
  for (const body of bodies) await ingestBatch(ledger, parseBatch(body, undefined, limits), options);
});
const [{ n: landed }] = (await ledger.exec('select count(*) as n from llm_calls')) as { n: number }[];

// The same batches, step by step: what the function does before it writes, then the writes (into a second ledger,
// so that dedupe finds nothing).
let parsed: Batch[] = [];
const parse = await timed(async () => void (parsed = bodies.map((body) => parseBatch(body, undefined, limits))));
const prepared: PreparedBatch[] = [];
const prepare = await timed(async () => {
  for (const batch of parsed) prepared.push(await prepareBatch(batch, options));
});
const second = await DuckDBEngine.open(join(dir, 'second.duckdb'));
await second.ensureTables();
const land = await timed(async () => {
  for (const { load, landing } of prepared) await landBatch(second, load, landing);
});

const total = batchCount * batchSize;
const perSecond = (seconds: number) => formatCount(Math.round(total / seconds));
const row = (stage: string, seconds: number) => ({ stage, seconds });
console.log(`validated, redacted and priced: ${perSecond(parse + prepare)} records/s (one core; parse included, landing not)`);
console.log(`end to end, landed in DuckDB: ${perSecond(endToEnd)} records/s\n`);
console.log(
  renderTable(
    [
      { header: 'stage', value: (r) => r.stage },
      { header: 'seconds', align: 'right', value: (r) => r.seconds.toFixed(3) },
      { header: 'records/s', align: 'right', value: (r) => perSecond(r.seconds) },
      { header: 'µs/record', align: 'right', value: (r) => ((r.seconds * 1e6) / total).toFixed(1) },
      { header: 'ms/batch', align: 'right', value: (r) => ((r.seconds * 1e3) / batchCount).toFixed(2) },
    ],
    [
      row('end to end (ingestBatch)', endToEnd),
      row('parse + batch limits (parseBatch)', parse),
      row('validate, redact, price (prepareBatch)', prepare),
      row('land in DuckDB (landBatch)', land),
    ],
    { title: `Ingest: ${formatCount(batchCount)} batches of ${formatCount(batchSize)} records, ${formatCount(landed)} landed` },
  ),
);
await ledger.close();
await second.close();
rmSync(dir, { recursive: true, force: true });
