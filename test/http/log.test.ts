import { describe, expect, it } from 'vitest';
import { jsonLogger } from '../../functions/http/log.js';

describe('the log lines', () => {
  it('are one JSON object per line, with the severity and message Cloud Logging reads', () => {
    const written: string[] = [];
    jsonLogger((line) => written.push(line))('INFO', 'rollup done', { job: 'rollup', findings: 0 });
    expect(written).toEqual(['{"job":"rollup","findings":0,"severity":"INFO","message":"rollup done"}\n']);
  });

  it('keep severity and message from being overwritten by a field of the same name', () => {
    const written: string[] = [];
    jsonLogger((line) => written.push(line))('ERROR', 'rollup failed', { severity: 'DEBUG', message: 'x' });
    expect(JSON.parse(written[0]!)).toMatchObject({ severity: 'ERROR', message: 'rollup failed' });
  });
});
