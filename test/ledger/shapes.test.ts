import { describe, expect, it } from 'vitest';
import { InputError } from '../../functions/errors.js';
import { detectShape, shapeOfKeys, type SampledRecord } from '../../functions/ledger/shapes.js';

describe('telling a record shape by its keys', () => {
  const cases = [
    { name: 'an OTLP export request', keys: ['resourceSpans'], shape: 'otel' },
    { name: 'a flat span attribute map', keys: ['traceId', 'gen_ai.request.model', 'gen_ai.usage.input_tokens'], shape: 'otel' },
    { name: 'a LiteLLM spend-log row', keys: ['request_id', 'model', 'prompt_tokens', 'completion_tokens', 'spend', 'startTime'], shape: 'litellm' },
    { name: 'a native call record', keys: ['ts', 'call_id', 'model', 'input_tokens', 'output_tokens'], shape: 'native' },
    { name: 'a native record with a misspelt field', keys: ['ts', 'call_id', 'tokenz'], shape: 'native' },
    { name: 'a record of keys shared by all shapes', keys: ['request_id', 'model', 'status'], shape: null },
    { name: 'a record of keys no shape has', keys: ['foo', 'bar'], shape: null },
  ] as const;

  it.each(cases)('reads $name as $shape', ({ keys, shape }) => {
    expect(shapeOfKeys(keys)).toBe(shape);
  });
});

describe('deciding the shape of a file from its first records', () => {
  const otel: SampledRecord = { line: 1, keys: ['resourceSpans'] };
  const litellm: SampledRecord = { line: 3, keys: ['request_id', 'spend', 'startTime'] };
  const native: SampledRecord = { line: 2, keys: ['ts', 'call_id', 'model'] };
  const notAnObject: SampledRecord = { line: 1, keys: null };
  const nameless: SampledRecord = { line: 1, keys: ['foo'] };

  const decided = [
    { name: 'records of one shape decide it', sample: [otel, { ...otel, line: 2 }], choice: 'auto', shape: 'otel' },
    { name: 'lines that are not objects are left to the validation', sample: [notAnObject, native], choice: 'auto', shape: 'native' },
    { name: 'a file of no objects at all is native, to be quarantined line by line', sample: [notAnObject], choice: 'auto', shape: 'native' },
    { name: 'an empty file is native', sample: [], choice: 'auto', shape: 'native' },
    { name: 'a given shape that some records have is taken', sample: [native, { ...litellm, line: 3 }], choice: 'litellm', shape: 'litellm' },
    { name: 'a given shape is taken when no record names one', sample: [nameless], choice: 'native', shape: 'native' },
  ] as const;

  it.each(decided)('$name', ({ sample, choice, shape }) => {
    expect(detectShape(sample, choice, 'calls.ndjson')).toBe(shape);
  });

  const refused = [
    { name: 'records of two shapes', sample: [otel, litellm], choice: 'auto', message: /calls.ndjson: line 3 is a LiteLLM spend-log row but line 1 is an OpenTelemetry GenAI span/ },
    { name: 'records of no known shape', sample: [nameless], choice: 'auto', message: /line 1 is not a record of any known shape: .* give --shape native/ },
    { name: 'a given shape no record has', sample: [native], choice: 'otel', message: /line 2 is a native call record, not an OpenTelemetry GenAI span: use --shape native/ },
  ] as const;

  it.each(refused)('refuses $name, naming the line and the fix', ({ sample, choice, message }) => {
    expect(() => detectShape(sample, choice, 'calls.ndjson')).toThrow(InputError);
    expect(() => detectShape(sample, choice, 'calls.ndjson')).toThrow(message);
  });
});
