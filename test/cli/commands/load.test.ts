import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DuckDBEngine } from '../../../functions/engine/duckdb.js';
import { cli } from '../../support/cli.js';
import { tempFolder } from '../../support/tmp.js';

const fixtures = join(import.meta.dirname, '../../ledger/fixtures');
const folder = tempFolder();
const config = folder.file(
  'finops.config.yaml',
  'version: 1\nshapes:\n  feature_attributes: [app.feature]\n  segment_attributes: [app.segment]\n  customer_attributes: [app.customer_id]\n',
);
let ledgers = 0;
/** A fresh ledger file per test, so each load starts from nothing. */
const ledger = () => ['--db', join(folder.dir, `ledger-${ledgers++}.duckdb`), '--config', config];

describe('ai-finops load --shape', () => {
  beforeAll(() => vi.stubEnv('FINOPS_ENGINE', ''));
  afterAll(() => {
    vi.unstubAllEnvs();
    folder.remove();
  });

  it('detects OpenTelemetry spans by default and names the shape beside the file', async () => {
    const { code, stdout } = await cli('load', ...ledger(), '--calls', join(fixtures, 'otel-otlp.ndjson'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^otel-otlp\.ndjson \(otel\): 3 calls loaded, 0 duplicates skipped, 0 rejected \(of 3 read\)/);
  });

  it('maps feature, segment and customer by the attribute names of the config', async () => {
    const db = ledger();
    await cli('load', ...db, '--calls', join(fixtures, 'otel-otlp.ndjson'));
    const engine = await DuckDBEngine.open(db[1]);
    try {
      expect(await engine.exec('select feature, segment, customer_id from llm_calls order by feature')).toEqual([
        { feature: 'code_review', segment: 'free', customer_id: 'cust_2' },
        { feature: 'support_bot', segment: 'pro', customer_id: 'cust_1' },
        { feature: null, segment: null, customer_id: null },
      ]);
    } finally {
      await engine.close();
    }
  });

  it('loads LiteLLM spend logs given --shape litellm and reports the shape in JSON', async () => {
    const { code, stdout } = await cli('load', ...ledger(), '--calls', join(fixtures, 'litellm.csv'), '--shape', 'litellm', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).loads[0]).toMatchObject({ shape: 'litellm', loaded: 3, rejected: 0 });
  });

  it('fails with the shape to use when --shape names another shape than the file holds', async () => {
    const { code, stderr } = await cli('load', ...ledger(), '--calls', join(fixtures, 'litellm.ndjson'), '--shape', 'otel');
    expect(code).toBe(1);
    expect(stderr).toMatch(/line 1 is a LiteLLM spend-log row, not an OpenTelemetry GenAI span: use --shape litellm/);
  });

  it('is a usage error for a shape it does not know', async () => {
    const { code, stderr } = await cli('load', ...ledger(), '--calls', join(fixtures, 'litellm.ndjson'), '--shape', 'portkey');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--shape portkey is not one of auto, native, otel, litellm/);
  });
});
