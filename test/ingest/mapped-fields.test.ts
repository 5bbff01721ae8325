import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limitedStrings, mappedNames } from '../../functions/ingest/mapped-fields.js';
import { packageRoot } from '../../functions/paths.js';

const attributes = { feature_attributes: ['app.feature'], segment_attributes: [], customer_attributes: ['app.customer_id'] };
const staging = (shape: string) => readFileSync(join(packageRoot, 'sql', 'duckdb', `stage_${shape}.sql`), 'utf8');

describe('the strings an ingest record is held to the length limit in', () => {
  it.each(Object.entries(mappedNames))('are only names that the %s staging reads', (shape, names) => {
    const sql = staging(shape);
    for (const name of names) expect(sql, name).toMatch(new RegExp(`['.]${name.replace(/\./g, '\\.')}'`));
  });

  it('are every string of a native record, or of a record of no known shape', () => {
    expect(limitedStrings({ call_id: 'c1', messages: 'x' }, attributes)('messages')).toBe(true);
    expect(limitedStrings({ colour: 'blue' }, attributes)('colour')).toBe(true);
  });

  it('are the mapped and configured names of a foreign record, not its content', () => {
    const litellm = limitedStrings({ request_id: 'r1', startTime: '2026-11-02T10:00:00Z', prompt_tokens: 1, messages: [] }, attributes);
    expect([litellm('model'), litellm('end_user'), litellm('app.feature'), litellm('messages'), litellm('response')]).toEqual([true, true, true, false, false]);
    const otel = limitedStrings({ resourceSpans: [] }, attributes);
    expect([otel('gen_ai.request.model'), otel('app.customer_id'), otel('gen_ai.input.messages'), otel('name')]).toEqual([true, true, false, false]);
  });
});
