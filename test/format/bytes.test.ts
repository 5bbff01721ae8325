import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../functions/format/bytes.js';

describe('a byte count for people', () => {
  it.each([
    { bytes: 0, text: '0 B' },
    { bytes: 1023, text: '1023 B' },
    { bytes: 1024, text: '1.00 KiB' },
    { bytes: 10 * 2 ** 20 + 2 ** 19, text: '10.5 MiB' },
    { bytes: 10_000_000_000, text: '9.31 GiB' },
    { bytes: 250 * 2 ** 30, text: '250 GiB' },
    { bytes: 2 ** 40, text: '1.00 TiB' },
    { bytes: 3 * 2 ** 50, text: '3.00 PiB' },
    { bytes: 5000 * 2 ** 50, text: '5000 PiB' },
  ])('$bytes bytes read as $text', ({ bytes, text }) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
