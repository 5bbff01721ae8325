import { describe, expect, it } from 'vitest';
import { InputError } from '../../functions/errors.js';
import { readInvoiceCsv } from '../../functions/reconcile/invoice-csv.js';

describe('reading a provider invoice CSV', () => {
  it('reads month, model, tokens and cost, matching models case-insensitively', () => {
    expect(readInvoiceCsv('month,model,tokens,cost_usd\n2026-10,GPT-4o,1250000,12.5\n', 'oct.csv')).toEqual([
      { month: '2026-10', provider: null, model: 'GPT-4o', model_key: 'gpt-4o', tokens: 1_250_000, cost_usd: '12.500000000', lines: [2] },
    ]);
  });

  it.each([
    { name: 'prompt and completion tokens add up to the tokens', csv: 'Billing_Month,Model_ID,prompt_tokens,completion_tokens\n2026-10-01,m,1000,250\n', tokens: 1250, cost: null },
    { name: 'input tokens alone are the tokens', csv: 'month,model,input_tokens,output_tokens\n2026-10,m,1000,\n', tokens: 1000, cost: null },
    { name: 'a cost alone leaves the tokens unknown', csv: 'period,model,amount_usd\n2026-10,m,-3.25\n', tokens: null, cost: '-3.250000000' },
    { name: 'a date in the month column stands for its month', csv: 'month,model,cost\n2026-10-17,m,1\n', tokens: null, cost: '1.000000000' },
  ])('$name', ({ csv, tokens, cost }) => {
    const [line] = readInvoiceCsv(csv, 'x.csv');
    expect(line).toMatchObject({ month: '2026-10', tokens, cost_usd: cost });
  });

  it('adds up the lines of one month and model exactly (0.1 + 0.2 is 0.3 here)', () => {
    const csv = 'month,model,input_tokens,output_tokens,cost_usd\n2026-10,m,100,,0.1\n2026-10,M,,50,0.2\n2026-11,m,1,1,1\n';
    expect(readInvoiceCsv(csv, 'x.csv')).toEqual([
      { month: '2026-10', provider: null, model: 'm', model_key: 'm', tokens: 150, cost_usd: '0.300000000', lines: [2, 3] },
      { month: '2026-11', provider: null, model: 'm', model_key: 'm', tokens: 2, cost_usd: '1.000000000', lines: [4] },
    ]);
  });

  it('keeps each provider of a month and model apart, lower-cased, and gives --provider to the lines that name none', () => {
    const csv = 'month,provider,model,cost_usd\n2026-10,OpenAI,gpt-4o,1\n2026-10,azure,gpt-4o,2\n2026-10,,gpt-4o,4\n';
    expect(readInvoiceCsv(csv, 'x.csv').map((l) => [l.provider, l.cost_usd, l.lines])).toEqual([
      ['azure', '2.000000000', [3]],
      ['openai', '1.000000000', [2]],
      [null, '4.000000000', [4]],
    ]);
    expect(readInvoiceCsv(csv, 'x.csv', 'OpenAI').map((l) => [l.provider, l.cost_usd, l.lines])).toEqual([
      ['azure', '2.000000000', [3]],
      ['openai', '5.000000000', [2, 4]],
    ]);
  });

  it('skips blank lines and ignores columns it does not know', () => {
    const lines = readInvoiceCsv('month,model,region,tokens\n\n2026-10,m,us,5\n\n', 'x.csv');
    expect(lines.map((l) => [l.tokens, l.lines])).toEqual([[5, [3]]]);
  });

  it.each([
    { name: 'an empty file', csv: '', says: /x\.csv is empty: its first line must name the columns, e.g\. month,model,tokens,cost_usd/ },
    { name: 'no month column', csv: 'date,model,tokens\n', says: /x\.csv has no month column: name one month or billing_month or period/ },
    { name: 'no model column', csv: 'month,sku,tokens\n', says: /x\.csv has no model column: name one model or model_id/ },
    { name: 'neither tokens nor cost', csv: 'month,model,region\n', says: /x\.csv has no token or cost column: add one of tokens, total_tokens, input_tokens/ },
    { name: 'two names for one column', csv: 'month,model,cost,cost_usd\n', says: /x\.csv has both cost_usd and cost columns: keep one of them/ },
    { name: 'a header and nothing else', csv: 'month,model,cost\n', says: /x\.csv has a header and no lines/ },
  ])('rejects $name, saying what to fix', ({ csv, says }) => {
    expect(() => readInvoiceCsv(csv, 'x.csv')).toThrow(says);
  });

  it('names the line, the field and the fix of every bad value', () => {
    const csv = [
      'month,model,tokens,cost_usd',
      '2026/10,m,5,1',
      '2026-10,,5,1',
      '2026-10,m,1.5e6,1',
      '2026-10,m,5,$12.30',
      '2026-10,m,,',
    ].join('\n');
    let error: unknown;
    try {
      readInvoiceCsv(csv, 'x.csv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message.split('\n')).toEqual([
      'x.csv has 5 bad values:',
      '  line 2, month: "2026/10" is not a month: write it as YYYY-MM, e.g. 2026-10',
      '  line 3, model: is empty: write the model id as the provider names it, e.g. gpt-4o-mini',
      '  line 4, tokens: "1.5e6" is not a whole number of tokens: write digits only, e.g. 1250000',
      '  line 5, cost_usd: "$12.30" is not an amount in USD: write a plain decimal with at most 9 places, e.g. 1234.56',
      '  line 6, cost_usd: the line has neither tokens nor a cost: fill in one of them, or delete the line',
    ]);
  });

  it('lists ten bad values and counts the rest', () => {
    const csv = ['month,model,cost', ...Array.from({ length: 12 }, () => 'October,m,1')].join('\n');
    expect(() => readInvoiceCsv(csv, 'x.csv')).toThrow(/has 12 bad values:[\s\S]*line 11, month[\s\S]*…and 2 more$/);
  });
});
