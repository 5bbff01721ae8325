import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/errors.js';
import { parseNegotiatedPrices, readNegotiatedPrices } from '../../functions/pricing/negotiated.js';

const header =
  'provider,model,effective_from,effective_to,input_usd_per_mtok,cached_input_usd_per_mtok,cache_write_input_usd_per_mtok,output_usd_per_mtok';

/** The ConfigError message a file gives, or a failure when it parses. */
function problems(text: string): string {
  try {
    parseNegotiatedPrices(text, 'prices.csv');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('parseNegotiatedPrices', () => {
  it('reads a contract rate as exact decimal strings, with its dates', () => {
    expect(parseNegotiatedPrices(`${header}\nopenai,gpt-4o,2025-01-01,2026-01-01,2.0,1.0,2.0,8.000000001\n`, 'prices.csv')).toEqual([
      {
        provider: 'openai', model: 'gpt-4o', effective_from: '2025-01-01', effective_to: '2026-01-01',
        input_usd_per_mtok: '2.0', cached_input_usd_per_mtok: '1.0', cache_write_input_usd_per_mtok: '2.0',
        output_usd_per_mtok: '8.000000001', source: 'negotiated', catalog_model_id: null,
      },
    ]);
  });

  it('reads an empty provider as any provider, empty dates as open-ended, and empty cache rates as the input rate', () => {
    expect(parseNegotiatedPrices(`${header}\n,claude-sonnet-4,,,2.7,,,13.5`, 'prices.csv')).toEqual([
      {
        provider: null, model: 'claude-sonnet-4', effective_from: null, effective_to: null,
        input_usd_per_mtok: '2.7', cached_input_usd_per_mtok: '2.7', cache_write_input_usd_per_mtok: '2.7',
        output_usd_per_mtok: '13.5', source: 'negotiated', catalog_model_id: null,
      },
    ]);
  });

  it('takes the columns in any order, leaves out optional ones, and skips blank and # lines', () => {
    const text = '\uFEFF# our MSA, appendix B\r\noutput_usd_per_mtok,model,input_usd_per_mtok\r\n\r\n"8",gpt-4o,"2"\r\n';
    expect(parseNegotiatedPrices(text, 'prices.csv')).toMatchObject([
      { provider: null, model: 'gpt-4o', effective_from: null, input_usd_per_mtok: '2', output_usd_per_mtok: '8' },
    ]);
  });

  it('accepts periods for one model that meet without overlapping', () => {
    const text = `${header}\nopenai,gpt-4o,,2025-01-01,2,,,8\nopenai,gpt-4o,2025-01-01,,1.5,,,6`;
    expect(parseNegotiatedPrices(text, 'prices.csv')).toHaveLength(2);
  });

  it('gives an empty list for a file with only its header', () => {
    expect(parseNegotiatedPrices(header, 'prices.csv')).toEqual([]);
  });

  const bad: { name: string; text: string; expected: RegExp }[] = [
    {
      name: 'a rate with a currency sign',
      text: `${header}\nopenai,gpt-4o,,,2,,,$15`,
      expected: /^prices\.csv:2: output_usd_per_mtok is '\$15': write a plain decimal/,
    },
    {
      name: 'a rate in exponent form',
      text: `${header}\nopenai,gpt-4o,,,2.5e-1,,,8`,
      expected: /^prices\.csv:2: input_usd_per_mtok is '2\.5e-1'/,
    },
    {
      name: 'a rate with more than 9 places',
      text: `${header}\nopenai,gpt-4o,,,2,0.1234567891,,8`,
      expected: /^prices\.csv:2: cached_input_usd_per_mtok is '0\.1234567891'.*at most 9 places/,
    },
    {
      name: 'a missing output rate',
      text: `${header}\nopenai,gpt-4o,,,2,,,`,
      expected: /^prices\.csv:2: output_usd_per_mtok is empty: write the contract rate/,
    },
    {
      name: 'a missing model',
      text: `${header}\nopenai,,,,2,,,8`,
      expected: /^prices\.csv:2: model is empty/,
    },
    {
      name: 'a date that is not YYYY-MM-DD',
      text: `${header}\nopenai,gpt-4o,01/02/2025,,2,,,8`,
      expected: /^prices\.csv:2: effective_from is '01\/02\/2025': write a UTC date as YYYY-MM-DD/,
    },
    {
      name: 'a day that does not exist',
      text: `${header}\nopenai,gpt-4o,,2025-02-30,2,,,8`,
      expected: /^prices\.csv:2: effective_to is '2025-02-30'/,
    },
    {
      name: 'a period that ends before it starts',
      text: `${header}\nopenai,gpt-4o,2025-06-01,2025-06-01,2,,,8`,
      expected: /^prices\.csv:2: effective_to \(2025-06-01\) is not after effective_from \(2025-06-01\)/,
    },
    {
      name: 'two periods for one model that overlap, even spelt differently',
      text: `${header}\nopenai,gpt-4o,2025-01-01,2025-07-01,2,,,8\n# renewal\nOpenAI,GPT-4o,2025-06-01,,1.5,,,6`,
      expected: /^prices\.csv:4: effective_from\/effective_to overlap line 2 for openai gpt-4o/,
    },
    {
      name: 'a row with too many fields',
      text: `${header}\nopenai,gpt-4o,,,2,,,8,extra`,
      expected: /^prices\.csv:2: has 9 fields but the header has 8: quote a field that contains a comma/,
    },
    {
      name: 'a misspelt column',
      text: header.replace('output_usd_per_mtok', 'output_usd_per_mtoken'),
      expected: /^prices\.csv:1: unknown column 'output_usd_per_mtoken'[\s\S]*prices\.csv:1: the header lacks the column output_usd_per_mtok/,
    },
    {
      name: 'an empty file',
      text: '\n# nothing yet\n',
      expected: /^prices\.csv: the negotiated price file is empty: start it with the header line provider,model,/,
    },
  ];
  for (const { name, text, expected } of bad) {
    it(`refuses ${name}, naming the line, the field and the fix`, () => {
      expect(problems(text)).toMatch(expected);
    });
  }

  it('reports every bad line at once', () => {
    const message = problems(`${header}\nopenai,gpt-4o,,,x,,,8\nopenai,gpt-4o-mini,,,0.15,,,y`);
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/^prices\.csv:2: input_usd_per_mtok is 'x'/),
      expect.stringMatching(/^prices\.csv:3: output_usd_per_mtok is 'y'/),
    ]);
  });
});

describe('readNegotiatedPrices', () => {
  it('reads a file from disk', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'finops-prices-')), 'prices.csv');
    writeFileSync(file, `${header}\nopenai,gpt-4o,,,2,,,8\n`);
    expect(readNegotiatedPrices(file)).toHaveLength(1);
  });

  it('names a file it cannot read and says what to do', () => {
    expect(() => readNegotiatedPrices('/nonexistent/prices.csv')).toThrow(
      /cannot read the negotiated price file \/nonexistent\/prices\.csv: check the path/,
    );
  });
});
