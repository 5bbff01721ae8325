import { describe, expect, it } from 'vitest';
import { oneAtATime } from '../../functions/ingest/one-at-a-time.js';

describe('a queue of work one at a time', () => {
  it('runs each piece whole, in order of arrival, even when they await', async () => {
    const inTurn = oneAtATime();
    const events: string[] = [];
    const piece = (name: string, ms: number) =>
      inTurn(async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`${name} end`);
        return name;
      });
    expect(await Promise.all([piece('a', 20), piece('b', 1), piece('c', 5)])).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('fails only the piece that failed', async () => {
    const inTurn = oneAtATime();
    const failing = inTurn(async () => {
      throw new Error('boom');
    });
    const next = inTurn(async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
