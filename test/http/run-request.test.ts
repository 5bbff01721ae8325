import { describe, expect, it } from 'vitest';
import { runRequest } from '../../functions/http/run-request.js';

const now = new Date('2026-12-01T08:00:03Z');

describe('what a request to a job function asks', () => {
  const good = [
    { name: 'no body', body: undefined, expected: '2026-12-01' },
    { name: 'an empty object (what Cloud Scheduler sends)', body: {}, expected: '2026-12-01' },
    { name: 'a day', body: { asOf: '2026-11-01' }, expected: '2026-11-01' },
    { name: 'the JSON as bytes (no JSON content type)', body: Buffer.from('{"asOf": "2026-10-31"}'), expected: '2026-10-31' },
    { name: 'the JSON as text', body: '{"asOf": "2026-02-28"}', expected: '2026-02-28' },
    { name: 'empty bytes', body: Buffer.alloc(0), expected: '2026-12-01' },
    { name: 'blank text', body: '  \n', expected: '2026-12-01' },
  ];
  it.each(good)('is the as-of day read from $name, without force', ({ body, expected }) => {
    expect(runRequest(body, now)).toEqual({ asOf: expected, force: false });
  });

  const forced = [
    { name: 'force with a day', body: { asOf: '2026-11-01', force: true }, expected: { asOf: '2026-11-01', force: true } },
    { name: 'force alone, as of today', body: '{"force": true}', expected: { asOf: '2026-12-01', force: true } },
    { name: 'force false', body: { force: false }, expected: { asOf: '2026-12-01', force: false } },
  ];
  it.each(forced)('reads $name, which posts Slack messages again', ({ body, expected }) => {
    expect(runRequest(body, now)).toEqual(expected);
  });

  const bad = [
    { name: 'a malformed day', body: { asOf: '2026-13-01' }, reason: /asOf "2026-13-01" is not a date: write it as "YYYY-MM-DD"/ },
    { name: 'a day that does not exist', body: { asOf: '2026-02-30' }, reason: /asOf "2026-02-30" is not a date/ },
    { name: 'a day that is not a string', body: { asOf: 20260301 }, reason: /asOf 20260301 is not a date/ },
    { name: 'an unknown field', body: { asOf: '2026-03-01', month: '2026-02' }, reason: /unknown field "month": the body may carry only "asOf" and "force"/ },
    { name: 'a force that is not a boolean', body: { force: 'yes' }, reason: /force "yes" is not true or false: write \{"force": true\}/ },
    { name: 'an array', body: ['2026-03-01'], reason: /must be a JSON object .* not an array/ },
    { name: 'JSON null', body: 'null', reason: /must be a JSON object .* not null/ },
    { name: 'text that is not JSON', body: 'asOf=2026-03-01', reason: /the body is not JSON/ },
  ];
  it.each(bad)('is refused for $name, with the reason and how to write it', ({ body, reason }) => {
    expect(() => runRequest(body, now)).toThrow(reason);
    expect(() => runRequest(body, now)).toThrow(expect.objectContaining({ code: 'bad_input' }));
  });
});
