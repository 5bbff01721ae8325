import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableNames } from '../../functions/schema/tables.js';
import { call, ingestFunction, type IngestFunction } from './support/ingest-function.js';

/**
 * The privacy promise of the ingest function: PII sent in any field of any record, valid or not, is stored nowhere.
 * A seeded set of fictional PII (test/pii/corpus.ts has where each comes from) goes in through every door a record
 * has (free-text fields, customer_id, unknown fields, values the loader rejects, strings over the limit, JSON
 * nested too deep, lines that are not JSON), and then every table of the ledger is searched for each string.
 */
const pii = {
  email: 'ann.lee@example.com',
  customerEmail: 'maria_garcia-88@example.org',
  phone: '+44 20 7946 0958',
  customerPhone: '+1 (415) 555-0132',
  card: '4111 1111 1111 1111',
  ssn: '536-22-4197',
  nino: 'JG103759A',
  iban: 'GB82 WEST 1234 5698 7654 32',
  ip: '192.0.2.44',
  openaiKey: 'sk-proj-pNxnyVmihA-2O76UMFxFkM-R5Kjp1vRt_1fjORS-6ilI8ihN5KXSc7Tvo-hBKqFYY-kv5ZJr3JT3BlbkFJTAwR4y9ojfljoQoaF1Ll',
  awsKey: 'AKIAIOSFODNN7EXAMPLE',
  bearer: 'Bearer ScGebc_y8F5n3.Y_NBDRzrZSgqbjG3uhkW_KFLf6',
};

describe('PII sent to the ingest function', () => {
  let fn: IngestFunction;
  let answers: { status: number; body: any }[];
  let stored: string;

  beforeAll(async () => {
    fn = await ingestFunction({ env: { FINOPS_PII_SALT: 'a-test-salt-that-is-long-enough' } });
    const batch = [
      call({ call_id: 'p1', feature: `support_bot for ${pii.email}`, segment: `vip ${pii.phone}`, customer_id: pii.customerEmail, prompt_id: `triage ${pii.openaiKey}` }),
      call({ call_id: 'p2', customer_id: pii.customerPhone, provider: `openai via ${pii.ip}` }),
      call({ call_id: 'p3', ts: pii.email }),
      call({ call_id: 'p4', note: `card ${pii.card}, ssn ${pii.ssn}` }),
      call({ call_id: 'p5', input_tokens: pii.iban }),
      call({ call_id: 'p6', segment: `${'x'.repeat(2100)} ${pii.nino}` }),
      call({ call_id: 'p7', metadata: { user: { contact: pii.awsKey, deeper: JSON.parse('{"a":'.repeat(30) + JSON.stringify(pii.ssn) + '}'.repeat(30)) } } }),
      { [pii.email]: 'a field named by an email' },
    ];
    answers = [
      await fn.post(JSON.stringify(batch)),
      await fn.post(`${JSON.stringify(call({ call_id: 'p8' }))}\nnot json, ${pii.bearer} and ${pii.email}\n`, 'application/x-ndjson'),
    ];
    stored = JSON.stringify(await fn.tables());
  });
  afterAll(() => fn.remove());

  it('was taken in: the valid records landed and the others were quarantined', async () => {
    expect(answers.map((a) => [a.status, a.body.accepted, a.body.rejected.length])).toEqual([
      [200, 2, 6],
      [200, 1, 1],
    ]);
    expect(await fn.query(`select count(*) as n from quarantine`)).toEqual([{ n: 7 }]);
  });

  it.each(Object.entries(pii))('leaves no %s in any table of the ledger', (_, value) => {
    expect(JSON.parse(stored)).toHaveProperty(tableNames[0]);
    expect(stored).not.toContain(value);
    expect(stored).not.toContain(value.replace(/\D/g, '').length >= 9 ? value.replace(/\D/g, '') : value);
  });

  it('leaves placeholders where the PII was, so the records stay readable', async () => {
    const [p1] = await fn.query(`select feature, segment, prompt_id from llm_calls where call_id = 'p1'`);
    expect(p1).toEqual({ feature: 'support_bot for [EMAIL]', segment: 'vip [PHONE]', prompt_id: 'triage [SECRET]' });
    const reasons = await fn.query(`select line, field, reason from quarantine where line in (2, 4) order by line`);
    expect(reasons).toEqual([
      { line: 2, field: 'ts', reason: expect.stringContaining('"[EMAIL]" is not a timestamp') },
      { line: 4, field: 'input_tokens', reason: expect.stringContaining('"[IBAN]" is not a whole number') },
    ]);
  });

  it('turns a customer_id holding an email or a phone into a stable pseudonym', async () => {
    const rows = await fn.query(`select customer_id from llm_calls where call_id in ('p1', 'p2') order by call_id`);
    expect(rows.map((r) => r.customer_id)).toEqual([expect.stringMatching(/^anon_[0-9a-f]{32}$/), expect.stringMatching(/^anon_[0-9a-f]{32}$/)]);
    expect(rows[0]!.customer_id).not.toBe(rows[1]!.customer_id);
  });

  it('answers the caller and writes its log without any of it', () => {
    const out = JSON.stringify([answers, fn.log]);
    for (const value of Object.values(pii)) expect(out).not.toContain(value);
    expect(fn.log.map((l) => l.fields)).toEqual([
      expect.objectContaining({ job: 'ingest', records: 8, accepted: 2, rejected: 6, status: 200 }),
      expect.objectContaining({ job: 'ingest', records: 2, accepted: 1, rejected: 1, status: 200 }),
    ]);
  });
});

describe('PII that only staging makes text of', () => {
  const salt = 'a-test-salt-that-is-long-enough';
  const shapes = 'shapes:\n  customer_attributes: [app.customer_id]\n';
  let fn: IngestFunction;
  beforeAll(async () => (fn = await ingestFunction({ config: shapes, env: { FINOPS_PII_SALT: salt } })));
  afterAll(() => fn.remove());

  it('redacts a card number sent as a JSON number in feature, and pseudonymizes one sent as customer_id', async () => {
    const answer = await fn.post(`[${JSON.stringify(call({ call_id: 'n1' })).replace('"support_bot"', '4111111111111111').replace('"cust_42"', '4111111111111111')}]`);
    expect(answer.body).toMatchObject({ accepted: 1, rejected: [] });
    const [row] = await fn.query(`select feature, customer_id from llm_calls where call_id = 'n1'`);
    expect(row).toEqual({ feature: '[CARD]', customer_id: expect.stringMatching(/^anon_[0-9a-f]{32}$/) });
    expect(JSON.stringify(await fn.tables())).not.toContain('4111111111111111');
  });

  it('gives a customer whose id is an email the same pseudonym in LiteLLM, OTel and native records, not [EMAIL]', async () => {
    const email = 'maria_garcia-88@example.org';
    const native = call({ call_id: 'm1', customer_id: email });
    const litellm = { request_id: 'm2', model: 'gpt-4o-mini', prompt_tokens: 10, completion_tokens: 5, spend: 0.001, startTime: '2026-11-02T10:00:00Z', end_user: email };
    const otel = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', startTimeUnixNano: '1772445600000000000',
      'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5, 'app.customer_id': email,
    };
    for (const record of [native, litellm, otel]) expect((await fn.post(JSON.stringify([record]))).body).toMatchObject({ accepted: 1, rejected: [] });
    const customers = await fn.query(`select distinct customer_id from llm_calls where source_shape in ('native', 'litellm', 'otel') and call_id <> 'n1'`);
    expect(customers).toEqual([{ customer_id: expect.stringMatching(/^anon_[0-9a-f]{32}$/) }]);
    expect(JSON.stringify(await fn.tables())).not.toContain(email);
  });
});
