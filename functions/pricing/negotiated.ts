import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { RATE_PATTERN, type PricePeriod } from './price-period.js';

/**
 * Negotiated prices: committed-use, enterprise or reseller rates that replace the catalog's list prices within
 * their dates. Kept as a CSV file, because that is what a finance team maintains in a spreadsheet and exports:
 *
 *   provider,model,effective_from,effective_to,input_usd_per_mtok,cached_input_usd_per_mtok,cache_write_input_usd_per_mtok,output_usd_per_mtok
 *   openai,gpt-4o,2025-01-01,2026-01-01,2.0,1.0,,8.0
 *   ,claude-sonnet-4-20250514,2025-06-01,,2.7,0.27,3.375,13.5
 *
 * - `provider` and `model` as the ledger writes them (compared case-insensitively). An empty provider means the
 *   rate applies to that model under any provider; a row naming the provider wins over it where both apply.
 * - `effective_from` (inclusive) and `effective_to` (exclusive) are UTC days, `YYYY-MM-DD`; empty means open-ended.
 *   Rows for the same provider and model must not overlap.
 * - Rates are USD per million tokens, plain decimals with at most 9 places after the point (`2.5`, `0.075`; no `$`,
 *   no exponent), kept as exact strings. `input_usd_per_mtok` and `output_usd_per_mtok` are required; an empty
 *   `cached_input_usd_per_mtok` or `cache_write_input_usd_per_mtok` means the contract has no separate rate, so
 *   those tokens cost the input rate.
 * - The header names the columns, in any order; only `model`, `input_usd_per_mtok` and `output_usd_per_mtok` must
 *   be there (a column left out reads as empty in every row). Blank lines and lines starting with `#` are skipped; fields may be double-quoted.
 *
 * Every problem in the file is reported at once, each naming the file, the line, the field and the fix.
 */

const columns = [
  'provider',
  'model',
  'effective_from',
  'effective_to',
  'input_usd_per_mtok',
  'cached_input_usd_per_mtok',
  'cache_write_input_usd_per_mtok',
  'output_usd_per_mtok',
] as const;
type ColumnName = (typeof columns)[number];
const requiredColumns: ColumnName[] = ['model', 'input_usd_per_mtok', 'output_usd_per_mtok'];

/** Reads and validates a negotiated price file. @throws {ConfigError} when it cannot be read or any row is bad. */
export function readNegotiatedPrices(file: string): PricePeriod[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the negotiated price file ${file}: check the path (or leave the setting out)`, {
      cause: err,
    });
  }
  return parseNegotiatedPrices(text, file);
}

/**
 * Parses the text of a negotiated price file into periods with `source: 'negotiated'`; `file` only names it in errors.
 * In the result, a null provider means "any provider" (the row's provider was empty).
 * @throws {ConfigError} listing every bad line, e.g. `prices.csv:3: output_usd_per_mtok is '$15': write ...`.
 */
export function parseNegotiatedPrices(text: string, file: string): PricePeriod[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows = lines
    .map((content, i) => ({ line: i + 1, content }))
    .filter(({ content }) => content.trim() !== '' && !content.trimStart().startsWith('#'));
  const [header, ...body] = rows;
  if (!header) throw new ConfigError(`${file}: the negotiated price file is empty: start it with the header line ${columns.join(',')}`);

  const errors: string[] = [];
  const fail = (line: number, message: string) => errors.push(`${file}:${line}: ${message}`);

  const names = splitCsvLine(header.content).map((n) => n.trim().toLowerCase());
  for (const name of names) {
    if (!(columns as readonly string[]).includes(name)) {
      fail(header.line, `unknown column '${name}': the columns are ${columns.join(', ')}`);
    }
  }
  for (const name of requiredColumns) {
    if (!names.includes(name)) fail(header.line, `the header lacks the column ${name}: add it (the columns are ${columns.join(', ')})`);
  }
  if (errors.length > 0) throw new ConfigError(errors.join('\n'));

  const periods: { line: number; period: PricePeriod }[] = [];
  for (const { line, content } of body) {
    const fields = splitCsvLine(content);
    if (fields.length !== names.length) {
      fail(line, `has ${fields.length} fields but the header has ${names.length}: quote a field that contains a comma, and keep empty fields as ,,`);
      continue;
    }
    const value = (name: ColumnName): string => {
      const i = names.indexOf(name);
      return i < 0 ? '' : fields[i]!.trim();
    };
    const before = errors.length;
    const model = value('model');
    if (model === '') fail(line, 'model is empty: write the model id as the ledger records it, e.g. gpt-4o');
    const day = (name: 'effective_from' | 'effective_to'): string | null => {
      const v = value(name);
      if (v === '') return null;
      if (!isDay(v)) fail(line, `${name} is '${v}': write a UTC date as YYYY-MM-DD, or leave it empty for open-ended`);
      return v;
    };
    const from = day('effective_from');
    const to = day('effective_to');
    if (from !== null && to !== null && isDay(from) && isDay(to) && from >= to) {
      fail(line, `effective_to (${to}) is not after effective_from (${from}): effective_to is the first day the rate no longer applies`);
    }
    const rate = (name: ColumnName, required: boolean): string => {
      const v = value(name);
      if (v === '') {
        if (required) fail(line, `${name} is empty: write the contract rate in USD per million tokens, e.g. 2.5`);
        return v;
      }
      if (!RATE_PATTERN.test(v)) {
        fail(line, `${name} is '${v}': write a plain decimal of USD per million tokens, e.g. 2.5 or 0.075 (no currency sign, no exponent, at most 9 places after the point)`);
      }
      return v;
    };
    const input = rate('input_usd_per_mtok', true);
    const cached = rate('cached_input_usd_per_mtok', false);
    const cacheWrite = rate('cache_write_input_usd_per_mtok', false);
    const output = rate('output_usd_per_mtok', true);
    if (errors.length > before) continue;
    const provider = value('provider');
    periods.push({
      line,
      period: {
        provider: provider === '' ? null : provider,
        model,
        effective_from: from,
        effective_to: to,
        input_usd_per_mtok: input,
        cached_input_usd_per_mtok: cached === '' ? input : cached,
        cache_write_input_usd_per_mtok: cacheWrite === '' ? input : cacheWrite,
        output_usd_per_mtok: output,
        source: 'negotiated',
        catalog_model_id: null,
      },
    });
  }

  // Two rates for the same provider, model and day would leave the join two prices to choose from.
  for (let i = 0; i < periods.length; i++) {
    for (let j = i + 1; j < periods.length; j++) {
      const a = periods[i]!;
      const b = periods[j]!;
      if (sameKey(a.period, b.period) && overlaps(a.period, b.period)) {
        const who = `${a.period.provider ?? '(any provider)'} ${a.period.model}`;
        fail(b.line, `effective_from/effective_to overlap line ${a.line} for ${who}: end one period (effective_to) on or before the day the other starts`);
      }
    }
  }
  if (errors.length > 0) throw new ConfigError(errors.join('\n'));
  return periods.map(({ period }) => period);
}

function sameKey(a: PricePeriod, b: PricePeriod): boolean {
  return (a.provider ?? '').toLowerCase() === (b.provider ?? '').toLowerCase() && a.model.toLowerCase() === b.model.toLowerCase();
}

/** Half-open ranges [from, to) overlap when each starts before the other ends; null is open-ended. */
function overlaps(a: PricePeriod, b: PricePeriod): boolean {
  const startsBeforeEnd = (start: string | null, end: string | null) => start === null || end === null || start < end;
  return startsBeforeEnd(a.effective_from, b.effective_to) && startsBeforeEnd(b.effective_from, a.effective_to);
}

/** A real calendar day written YYYY-MM-DD (so 2025-02-30 is refused). */
function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** Splits one CSV line: commas separate fields; a double-quoted field may hold commas, and "" is a quote inside it. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields;
}
