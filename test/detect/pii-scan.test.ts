import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../functions/findings/finding.js';
import { piiFindings, type PiiCandidate } from '../../functions/detect/pii-scan.js';
import { detectorJob, type DetectResult } from '../../functions/jobs/detect.js';
import { jobs } from '../../functions/jobs/registry.js';
import { scannedFields, type PiiTable } from '../../functions/pii/fields.js';
import { piiKinds, type PiiKind } from '../../functions/pii/kinds.js';
import { sqlRoot } from '../../functions/paths.js';
import { addDays, dayOf } from '../../functions/time/days.js';
import { cli } from '../support/cli.js';
import { testLedger } from '../support/ledger.js';
import { ndjson, tempFolder } from '../support/tmp.js';
import { positives } from '../pii/corpus.js';

/**
 * The pii-scan job on a real DuckDB ledger, loaded by the real load path (which lands what it is given: the job is
 * the net for PII that got past redaction). Quarantined records are stamped with the load's real time, so the
 * as-of day is tomorrow and the calls are dated in the days before it.
 */
const asOf = addDays(dayOf(new Date()), 1);
const day = (n: number) => `${addDays(asOf, -n)}T10:00:00Z`;

const seeded = {
  phone: '+44 20 7946 0958',
  ann: 'ann@example.com',
  bob: 'bob@example.org',
  key: 'sk-proj-pNxnyVmihA2O76UMFxFkMR5Kjp1vRt1fjORS6ilI8ihN5KXSc7Tvo',
  carol: 'carol@example.net',
  card: '4111 1111 1111 1111',
  dave: 'dave@example.com',
};

let n = 0;
const call = (fields: Record<string, unknown> = {}) => ({
  ts: day(3),
  call_id: `c-${++n}`,
  feature: 'support_bot',
  segment: 'pro',
  customer_id: `cus_${n}`,
  provider: 'openai',
  model: 'gpt-4o-2024-08-06',
  prompt_id: 'triage@v12',
  prompt_prefix_hash: '22f828767efc2f91624a8940f1f836f99eee3692f09e2e8c662248b483b7ffc0',
  input_tokens: 1200,
  output_tokens: 300,
  cost_usd: '0.004200000',
  ...fields,
});

const cleanCalls = () => [
  ...Array.from({ length: 12 }, (_, i) => call({ ts: day(1 + (i % 5)), model: i % 2 ? 'claude-3-5-sonnet-20241022' : 'gpt-4o-2024-08-06' })),
  call({ call_id: '123e4567-e89b-12d3-a456-426614174000', request_id: 'req-2026-11-17-000042', outcome_id: 'INV-2026-000123' }),
  call({ prompt_id: 'summarize@v3', segment: 'enterprise-eu', feature: 'doc_extraction' }),
];

const leakyCalls = () => [
  ...[2, 3, 4].map((d) => call({ ts: day(d), segment: `pilot for ${seeded.phone}` })),
  call({ ts: day(6), customer_id: seeded.ann }),
  call({ ts: day(2), customer_id: seeded.ann }),
  call({ ts: day(2), customer_id: seeded.bob, feature: 'search' }),
  call({ prompt_id: `triage key ${seeded.key}` }),
  call({ call_id: `c-${seeded.dave}` }),
  call({ ts: day(50), customer_id: 'old@example.com' }),
];

/** Rejected by validation, so they land in the quarantine whole. */
const rejectedCalls = () => [
  call({ input_tokens: -5, customer_id: seeded.carol }),
  call({ model: null, segment: `card ${seeded.card}` }),
];

const piiOf = (result: DetectResult) => result.findings.filter((f) => f.kind === 'pii_in_logs');
const bySubjectAndKind = (findings: Finding[]) =>
  Object.fromEntries(findings.map((f) => [`${f.subject} ${f.evidence.pii_kind}`, { rows: f.evidence.rows, values: f.evidence.distinct_values }]));

describe('the pii-scan job', () => {
  let ledger: Awaited<ReturnType<typeof testLedger>>;
  beforeEach(async () => (ledger = await testLedger()));
  afterEach(() => ledger.close());
  const run = (job = 'pii-scan', now = new Date()) => jobs[job]!.run({ ...ledger.context(asOf), now: () => now }) as Promise<DetectResult>;

  it('is registered under its contract name and is part of detect', async () => {
    expect(jobs['pii-scan']).toBeDefined();
    await ledger.loadCalls(cleanCalls());
    const detect = await run('detect');
    expect(detect.detectors.map((d) => d.name)).toContain('pii_in_logs');
  });

  it('finds nothing in a clean ledger of model ids, prompt ids, hashes, UUIDs and dates', async () => {
    await ledger.loadCalls(cleanCalls());
    const result = await run();
    expect(result.findings).toEqual([]);
    expect(result.detectors).toEqual([{ name: 'pii_in_logs', from: addDays(asOf, -35), to: asOf, findings: 0 }]);
  });

  it('reports one page per table, field and kind, with the rows and distinct values, in calls and quarantine alike', async () => {
    await ledger.loadCalls([...cleanCalls(), ...leakyCalls(), ...rejectedCalls()]);
    const findings = piiOf(await run());
    expect(bySubjectAndKind(findings)).toEqual({
      'llm_calls.segment phone': { rows: 3, values: 1 },
      'llm_calls.customer_id email': { rows: 3, values: 2 },
      'llm_calls.prompt_id secret': { rows: 1, values: 1 },
      'llm_calls.call_id email': { rows: 1, values: 1 },
      'llm_calls.request_id email': { rows: 1, values: 1 }, // request_id defaults to call_id
      'quarantine.record email': { rows: 1, values: 1 },
      'quarantine.record card': { rows: 1, values: 1 },
    });
    for (const finding of findings) expect(finding).toMatchObject({ severity: 'page', status: 'open', impact_usd_month: null });
  });

  it('names the table, the field, the kind, the count and the days, and the feature with most of the rows', async () => {
    await ledger.loadCalls([...cleanCalls(), ...leakyCalls()]);
    const found = piiOf(await run()).find((f) => f.subject === 'llm_calls.customer_id')!;
    expect(found).toMatchObject({
      key: 'pii_in_logs:llm_calls:customer_id:email',
      feature: 'support_bot',
      first_seen: `${addDays(asOf, -6)}T00:00:00Z`,
      last_seen: `${addDays(asOf, -2)}T00:00:00Z`,
      evidence: { table: 'llm_calls', field: 'customer_id', pii_kind: 'email', rows: 3, features: { support_bot: 2, search: 1 } },
    });
    expect(found.summary).toBe(
      `3 rows of llm_calls.customer_id hold an email address (2 distinct values, ${addDays(asOf, -6)} to ${addDays(asOf, -2)}): ` +
        'redact it where the records are made, then redact or delete those rows.',
    );
    expect(piiOf(await run()).find((f) => f.subject === 'llm_calls.prompt_id')!.summary).toBe(
      `1 row of llm_calls.prompt_id holds a secret: an API key, token or private key (1 distinct value, on ${addDays(asOf, -3)}): ` +
        'redact it where the records are made, then redact or delete those rows.',
    );
  });

  it('never shows a value: not in the findings it prints, nor in the findings table', async () => {
    await ledger.loadCalls([...cleanCalls(), ...leakyCalls(), ...rejectedCalls(), call({ feature: `beta/${seeded.dave}`, segment: seeded.phone })]);
    const printed = JSON.stringify(await run());
    const stored = JSON.stringify(await ledger.engine.exec('select * from findings'));
    expect(printed).toContain('pii_in_logs');
    for (const value of [...Object.values(seeded), 'old@example.com', '7946', '4111']) {
      expect(printed).not.toContain(value);
      expect(stored).not.toContain(value);
    }
    expect(printed).toContain('beta/[EMAIL]');
  });

  it('looks only at its window: calls by ts, and quarantined records by when they were rejected', async () => {
    await ledger.loadCalls([call({ ts: day(36), customer_id: seeded.ann }), call({ ts: day(0), customer_id: seeded.bob })]);
    expect(piiOf(await run())).toEqual([]);
  });

  it('finds every kind of PII of the corpus through the SQL prefilter, the way the redactor finds it', async () => {
    await ledger.loadCalls(positives.map((entry, i) => call({ ts: day(1 + (i % 20)), segment: entry.text })));
    const rows = Object.fromEntries(piiOf(await run()).map((f) => [f.evidence.pii_kind, f.evidence.rows]));
    const expected = Object.fromEntries(
      piiKinds.map((kind: PiiKind) => [kind, positives.filter((entry) => entry.kinds.includes(kind)).length] as const),
    );
    expect(rows).toEqual(expected);
  });

  it('leaves the same findings table when run twice, and resolves a finding once the rows are gone', async () => {
    await ledger.loadCalls([...cleanCalls(), ...leakyCalls(), ...rejectedCalls()]);
    const table = () => ledger.engine.exec('select * from findings order by key');
    await run('pii-scan', new Date('2026-01-01T03:00:00Z'));
    const first = await table();
    await run('pii-scan', new Date('2026-01-02T03:00:00Z'));
    expect(await table()).toEqual(first);

    await ledger.engine.exec(`update llm_calls set segment = 'pro' where segment like 'pilot for %'`);
    await detectorJob('pii-scan')({ ...ledger.context(asOf), now: () => new Date('2026-01-03T03:00:00Z') });
    const statuses = Object.fromEntries((await table()).map((r) => [r.key, r.status]));
    expect(statuses['pii_in_logs:llm_calls:segment:phone']).toBe('resolved');
    expect(statuses['pii_in_logs:llm_calls:customer_id:email']).toBe('open');
  });
});

describe('piiFindings on given candidates', () => {
  const candidate = (value: string, fields: Partial<PiiCandidate> = {}): PiiCandidate => ({
    table: 'llm_calls',
    field: 'segment',
    value,
    feature: 'support_bot',
    first_day: '2026-11-10',
    last_day: '2026-11-12',
    rows: 4,
    ...fields,
  });

  it('drops what the prefilter let through but no rule confirms', () => {
    expect(piiFindings([candidate('2026-11-17T09:00:00Z'), candidate('ft:gpt-4o-mini-2024-07-18:acme:v2:9XkL2mQp')])).toEqual([]);
  });

  it('counts a value holding two kinds once for each, and sums rows, values and days across features', () => {
    const findings = piiFindings([
      candidate('ann@example.com via 192.0.2.1'),
      candidate('bob@example.org', { feature: 'search', rows: 6, first_day: '2026-11-01', last_day: '2026-11-11' }),
    ]);
    expect(findings.map((f) => [f.key, f.evidence.rows, f.evidence.distinct_values, f.first_seen, f.last_seen, f.feature])).toEqual([
      ['pii_in_logs:llm_calls:segment:email', 10, 2, '2026-11-01T00:00:00Z', '2026-11-12T00:00:00Z', 'search'],
      ['pii_in_logs:llm_calls:segment:ip', 4, 1, '2026-11-10T00:00:00Z', '2026-11-12T00:00:00Z', 'support_bot'],
    ]);
  });
});

describe('the candidate query', () => {
  const sql = readFileSync(join(sqlRoot, 'detect', 'pii_candidates.sql'), 'utf8');
  const fieldsOf = (table: string) => [...sql.matchAll(/select '(\w+)'.*?'(\w+)'(?: as field)?, \w+(?: as value)? from/g)].filter((m) => m[1] === table).map((m) => m[2]!);

  it.each(['llm_calls', 'quarantine'] as PiiTable[])('reads from %s the fields the PII policy scans, no more, no fewer', (table) => {
    expect(fieldsOf(table).sort()).toEqual(scannedFields(table).sort());
  });
});

describe('ai-finops run pii-scan', () => {
  const folder = tempFolder();
  afterAll(() => folder.remove());
  let db: string;
  beforeAll(async () => {
    db = join(folder.dir, 'pii.duckdb');
    const file = folder.file('calls.ndjson', ndjson([...cleanCalls(), ...leakyCalls()]));
    expect((await cli('load', '--db', db, '--calls', file)).code).toBe(0);
  });

  it('prints one JSON object with the findings, no value among them', async () => {
    const { code, stdout } = await cli('run', 'pii-scan', '--db', db, '--as-of', asOf, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ job: 'pii-scan', as_of: asOf });
    expect(json.findings.map((f: Finding) => f.key)).toContain('pii_in_logs:llm_calls:segment:phone');
    expect(stdout).not.toContain(seeded.ann);
  });

  it('prints a table a person reads by default', async () => {
    const { code, stdout } = await cli('run', 'pii-scan', '--db', db, '--as-of', asOf);
    expect(code).toBe(0);
    expect(stdout).toContain('pii_in_logs');
    expect(stdout).not.toContain(seeded.phone);
  });
});
