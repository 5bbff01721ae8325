import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../functions/config/finops-config.js';
import { prepareBatch } from '../../functions/ingest/ingest-batch.js';
import { parseBatch } from '../../functions/ingest/parse-batch.js';
import { BatchShapeError } from '../../functions/ingest/validate-batch.js';
import { call } from './support/ingest-function.js';

/**
 * prepareBatch: everything the ingest function does to a batch before it writes, with no ledger at all (the HTTP
 * tests in ingest-function.test.ts cover the batch landed end to end).
 */
const options = { limits: defaultConfig.ingest, salt: undefined, negotiated: [], now: () => new Date('2026-11-20T08:00:00Z') };
const prepare = (records: unknown[]) => prepareBatch(parseBatch(Buffer.from(JSON.stringify(records)), undefined, defaultConfig.ingest), options);

describe('preparing an ingest batch', () => {
  it('prices and redacts the valid calls, and counts a call_id the batch repeats', async () => {
    const { landing, refusal } = await prepare([call(), call({ call_id: 'c2', segment: 'mail ann.lee@example.com' }), call()]);
    expect(refusal).toBeUndefined();
    expect(landing).toMatchObject({ records: 3, repeats: 1, quarantine: [] });
    expect(landing.calls.map((c) => [c.call_id, c.segment, c.cost_source, c.cost_usd])).toEqual([
      ['c1', 'pro', 'catalog', expect.stringMatching(/^0\.\d{9}$/)],
      ['c2', 'mail [EMAIL]', 'catalog', expect.stringMatching(/^0\.\d{9}$/)],
    ]);
  });

  it('turns each rejected record into a quarantine row with its index in the batch (from 0), field and reason', async () => {
    const { landing } = await prepare([call(), call({ call_id: 'c2', input_tokens: -5 })]);
    expect(landing.calls.map((c) => c.call_id)).toEqual(['c1']);
    expect(landing.quarantine).toEqual([expect.objectContaining({ line: 1, field: 'input_tokens', reason: '"-5" is not a whole number >= 0', source: 'ingest' })]);
  });

  it('refuses a batch of two shapes whole, and keeps every record of it for the quarantine', async () => {
    const litellm = { request_id: 'l1', model: 'gpt-4o-mini', prompt_tokens: 10, completion_tokens: 5, spend: 0.001, startTime: '2026-11-02T10:00:00Z' };
    const { landing, refusal } = await prepare([call(), litellm]);
    expect(refusal).toBeInstanceOf(BatchShapeError);
    expect(landing.calls).toEqual([]);
    expect(landing.quarantine.map((q) => [q.line, q.field])).toEqual([
      [0, 'record'],
      [1, 'record'],
    ]);
  });
});
