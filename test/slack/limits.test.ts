import { describe, expect, it } from 'vitest';
import { fitLines, takeFirst, truncate } from '../../functions/slack/limits.js';

describe('truncate', () => {
  it('leaves text within the limit as it is', () => {
    expect(truncate('short', 5)).toBe('short');
  });

  it('cuts longer text to the limit, ending in an ellipsis', () => {
    const cut = truncate('abcdefghij', 6);
    expect(cut).toBe('abcde…');
    expect(cut.length).toBe(6);
  });

  it('never cuts inside an escape, which would leave a broken entity', () => {
    expect(truncate('ab &amp; cd', 6)).toBe('ab …');
    expect(truncate('ab &lt;x', 7)).toBe('ab …');
    expect(truncate('ab &amp; cd', 9)).toBe('ab &amp;…');
  });

  it('never cuts a surrogate pair in half', () => {
    const cut = truncate('ab🔴cd', 4);
    expect(cut).toBe('ab…');
  });
});

describe('fitLines', () => {
  const more = (n: number) => `…and ${n} more`;

  it('keeps every line when they fit', () => {
    expect(fitLines(['a', 'b'], 100, { more })).toBe('a\nb');
  });

  it('keeps whole lines only, and counts the rest in the more line', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i} ${'x'.repeat(20)}`);
    const text = fitLines(lines, 100, { more });
    expect(text.length).toBeLessThanOrEqual(100);
    const kept = text.split('\n');
    expect(kept.at(-1)).toBe(`…and ${10 - (kept.length - 1)} more`);
    expect(kept.slice(0, -1)).toEqual(lines.slice(0, kept.length - 1));
  });

  it('counts the text before and after in the limit, and keeps them', () => {
    // all three lines take 28 characters with the fences; one line and the more line, 26
    const text = fitLines(['123456', '234567', '345678'], 27, { more, before: '```\n', after: '\n```' });
    expect(text).toBe('```\n123456\n…and 2 more\n```');
  });

  it('adds lines already left out to the count, and then always says so', () => {
    expect(fitLines(['a'], 100, { more, omitted: 4 })).toBe('a\n…and 4 more');
  });
});

describe('takeFirst', () => {
  it('takes the first items and counts the others', () => {
    expect(takeFirst([1, 2, 3, 4], 3)).toEqual({ kept: [1, 2, 3], left: 1 });
    expect(takeFirst([1], 3)).toEqual({ kept: [1], left: 0 });
  });
});
