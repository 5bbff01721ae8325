import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../functions/config/finops-config.js';
import { InputError } from '../../functions/errors.js';
import { BatchTooLargeError } from '../../functions/ingest/limits.js';
import { parseBatch } from '../../functions/ingest/parse-batch.js';

const limits = { ...defaultConfig.ingest, max_records: 3, max_bytes: 200 };
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('parsing an ingest body', () => {
  it.each([
    ['a JSON array', '[{"a": 1}, {"a": 2}]', [{ index: 0, value: { a: 1 } }, { index: 1, value: { a: 2 } }]],
    ['NDJSON, skipping blank lines', '{"a": 1}\n\n{"a": 2}\r\n', [{ index: 0, value: { a: 1 } }, { index: 1, value: { a: 2 } }]],
    ['an NDJSON line that is not JSON, kept as text', '{"a": 1}\n{"a": \n', [{ index: 0, value: { a: 1 } }, { index: 1, text: '{"a": ' }]],
    ['a JSON array after white space', ' \n[42]', [{ index: 0, value: 42 }]],
  ])('reads %s', (_, body, records) => {
    expect(parseBatch(bytes(body), undefined, limits)).toEqual({ records, validUtf8: true });
  });

  it('takes the array the framework already parsed instead of parsing the body again', () => {
    expect(parseBatch(bytes('[{"a": 1}]'), [{ a: 'parsed' }], limits).records).toEqual([{ index: 0, value: { a: 'parsed' } }]);
  });

  it('takes one object the framework parsed as a batch of one', () => {
    expect(parseBatch(bytes('{\n  "a": 1\n}'), { a: 1 }, limits).records).toEqual([{ index: 0, value: { a: 1 } }]);
  });

  it('says when the body holds bytes that are not UTF-8', () => {
    const body = Buffer.concat([bytes('[{"a": "'), Buffer.from([0xc3, 0x28]), bytes('"}]')]);
    expect(parseBatch(body, undefined, limits)).toMatchObject({ validUtf8: false, records: [{ value: { a: '\uFFFD(' } }] });
  });

  it.each([
    ['more records than max_records', '[1, 2, 3, 4]', /4 records: a batch may hold at most 3 \(ingest\.max_records\)/],
    ['more bytes than max_bytes', `["${'x'.repeat(300)}"]`, /304 bytes: a batch may hold at most 200 bytes \(ingest\.max_bytes\)/],
  ])('refuses a batch of %s as too large, naming the limit', (_, body, message) => {
    expect(() => parseBatch(bytes(body), undefined, limits)).toThrow(BatchTooLargeError);
    expect(() => parseBatch(bytes(body), undefined, limits)).toThrow(message);
  });

  it.each([
    ['no body at all', ''],
    ['an empty array', '[]'],
    ['only blank lines', '\n \n'],
  ])('refuses %s: the body holds no records', (_, body) => {
    expect(() => parseBatch(bytes(body), body === '[]' ? [] : undefined, limits)).toThrow(/holds no records/);
  });

  it('says where a JSON array is broken without quoting any of the body', () => {
    expect(() => parseBatch(bytes('[{"a": 1 "b": "ann@example.com"}]'), undefined, limits)).toThrow(/is not a JSON array \(invalid JSON at character 9\)/);
    const parse = () => parseBatch(bytes('[{"a": ann@example.com}]'), undefined, limits);
    expect(parse).toThrow(/is not a JSON array/);
    expect(parse).not.toThrow(/ann@/);
  });

  it('refuses a JSON array cut short, saying what to send', () => {
    const parse = () => parseBatch(bytes('[{"a": 1}'), undefined, limits);
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(/is not a JSON array .*: send a JSON array of records, or NDJSON/);
  });
});
