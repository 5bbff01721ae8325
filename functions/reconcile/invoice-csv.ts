import { InputError } from '../errors.js';
import { parseCsv } from '../forecast/series-csv.js';
import { fromNanos, toNanos } from '../money.js';
import { isDay } from '../time/days.js';

/**
 * A provider's monthly usage or invoice export, as `ai-finops reconcile --invoice FILE` reads it: a CSV with a
 * header line. Column names are matched lower-cased and trimmed; other columns are ignored, since provider exports
 * carry many. Accepted names:
 *
 * | what | header names | values |
 * |---|---|---|
 * | month (required) | `month`, `billing_month`, `period` | `YYYY-MM`, or a date `YYYY-MM-DD` (its month) |
 * | model (required) | `model`, `model_id` | the model id; compared with the ledger's case-insensitively |
 * | provider | `provider`, `provider_name` | the provider that billed it, as the ledger names it (`openai`, `azure`); case-insensitive |
 * | total tokens | `tokens`, `total_tokens` | a whole number |
 * | input tokens | `input_tokens`, `prompt_tokens` | a whole number (cached ones included) |
 * | output tokens | `output_tokens`, `completion_tokens` | a whole number |
 * | cost | `cost_usd`, `cost`, `amount_usd` | a plain decimal in USD, at most 9 places (negative for a credit) |
 *
 * At least one token column or the cost column must be there. A line's tokens are its total, else its input plus
 * its output; an empty cell is a missing value. Lines of one month, provider and model (an export with one line per
 * usage type, say) are added up: exactly, for money. A line with no provider takes the one the caller gives
 * (`--provider`), else none: the comparison then needs the ledger to hold the model under one provider only.
 */

/** One month, provider and model of the invoice, its lines added up. */
export interface InvoiceLine {
  month: string;
  /** Lower-cased, as it is matched with the ledger; null when neither the line nor the caller names one. */
  provider: string | null;
  /** As the invoice spells it (its first line). */
  model: string;
  /** Lower-cased: how it is matched with the ledger. */
  model_key: string;
  /** Null when no line of the month and model gives tokens. */
  tokens: number | null;
  /** Null when no line of the month and model gives a cost. */
  cost_usd: string | null;
  /** The file's line numbers that were added up. */
  lines: number[];
}

type Field = 'month' | 'provider' | 'model' | 'tokens' | 'input_tokens' | 'output_tokens' | 'cost_usd';

const headerNames: Record<Field, readonly string[]> = {
  month: ['month', 'billing_month', 'period'],
  provider: ['provider', 'provider_name'],
  model: ['model', 'model_id'],
  tokens: ['tokens', 'total_tokens'],
  input_tokens: ['input_tokens', 'prompt_tokens'],
  output_tokens: ['output_tokens', 'completion_tokens'],
  cost_usd: ['cost_usd', 'cost', 'amount_usd'],
};

const measures = ['tokens', 'input_tokens', 'output_tokens', 'cost_usd'] as const;

/** How many problems one error lists before it says how many more there are. */
const problemsShown = 10;

/**
 * Reads and validates an invoice CSV; `source` names the file in messages, `provider` (`--provider`) is the
 * provider of the lines whose provider cell is empty, or of every line when there is no provider column.
 *
 * @throws {InputError} listing every bad line with its field and the fix (the first ten), or naming the header's problem.
 * @example readInvoiceCsv('month,model,cost_usd\n2026-10,gpt-4o,12.5\n', 'oct.csv')
 * // [{ month: '2026-10', provider: null, model: 'gpt-4o', model_key: 'gpt-4o', tokens: null, cost_usd: '12.500000000', lines: [2] }]
 */
export function readInvoiceCsv(text: string, source: string, provider: string | null = null): InvoiceLine[] {
  const [header, ...rows] = parseCsv(text);
  if (!header || header.every((h) => h.trim() === '')) {
    throw new InputError(`${source} is empty: its first line must name the columns, e.g. month,model,tokens,cost_usd`);
  }
  const columns = columnsOf(header, source);
  const problems: string[] = [];
  const byKey = new Map<string, InvoiceLine>();
  rows.forEach((row, i) => {
    const line = i + 2;
    if (row.every((cell) => cell.trim() === '')) return;
    const cell = (field: Field) => {
      const index = columns.get(field);
      return index === undefined ? '' : (row[index] ?? '').trim();
    };
    const problem = (field: Field, message: string) => problems.push(`line ${line}, ${field}: ${message}`);

    const monthText = cell('month');
    const month = /^\d{4}-\d{2}$/.test(monthText) && isDay(`${monthText}-01`) ? monthText : isDay(monthText) ? monthText.slice(0, 7) : null;
    if (month === null) problem('month', `"${monthText}" is not a month: write it as YYYY-MM, e.g. 2026-10`);
    const model = cell('model');
    if (model === '') problem('model', 'is empty: write the model id as the provider names it, e.g. gpt-4o-mini');

    const count = (field: 'tokens' | 'input_tokens' | 'output_tokens'): number | null => {
      const value = cell(field);
      if (value === '') return null;
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
        problem(field, `"${value}" is not a whole number of tokens: write digits only, e.g. 1250000`);
        return null;
      }
      return Number(value);
    };
    const [total, input, output] = [count('tokens'), count('input_tokens'), count('output_tokens')];
    const tokens = total ?? (input === null && output === null ? null : (input ?? 0) + (output ?? 0));
    const costText = cell('cost_usd');
    let cost: string | null = null;
    if (costText !== '') {
      try {
        cost = fromNanos(toNanos(costText));
      } catch {
        problem('cost_usd', `"${costText}" is not an amount in USD: write a plain decimal with at most 9 places, e.g. 1234.56`);
      }
    }
    if (tokens === null && cost === null && measures.every((m) => cell(m) === '')) {
      problem('cost_usd', 'the line has neither tokens nor a cost: fill in one of them, or delete the line');
    }
    if (month === null || model === '') return;

    const lineProvider = (cell('provider') || provider?.trim() || '').toLowerCase() || null;
    const key = JSON.stringify([month, lineProvider, model.toLowerCase()]);
    const previous = byKey.get(key);
    byKey.set(key, {
      month,
      provider: lineProvider,
      model: previous?.model ?? model,
      model_key: model.toLowerCase(),
      tokens: previous?.tokens == null ? tokens : previous.tokens + (tokens ?? 0),
      cost_usd: previous?.cost_usd == null ? cost : cost === null ? previous.cost_usd : fromNanos(toNanos(previous.cost_usd) + toNanos(cost)),
      lines: [...(previous?.lines ?? []), line],
    });
  });
  if (problems.length > 0) {
    const more = problems.length > problemsShown ? `\n  …and ${problems.length - problemsShown} more` : '';
    throw new InputError(`${source} has ${problems.length} bad value${problems.length === 1 ? '' : 's'}:\n  ${problems.slice(0, problemsShown).join('\n  ')}${more}`);
  }
  if (byKey.size === 0) throw new InputError(`${source} has a header and no lines: add one line per month and model`);
  return [...byKey.values()].sort(
    (a, b) => a.month.localeCompare(b.month) || a.model_key.localeCompare(b.model_key) || providerOrder(a.provider, b.provider),
  );
}

/** Providers in alphabetical order, a line with none last. */
function providerOrder(a: string | null, b: string | null): number {
  return a === null || b === null ? Number(a === null) - Number(b === null) : a.localeCompare(b);
}

/** Where each field's column is, from the header. */
function columnsOf(header: string[], source: string): Map<Field, number> {
  const names = header.map((h) => h.trim().toLowerCase());
  const columns = new Map<Field, number>();
  for (const [field, accepted] of Object.entries(headerNames) as [Field, readonly string[]][]) {
    const found = accepted.filter((name) => names.includes(name));
    if (found.length > 1) {
      throw new InputError(`${source} has both ${found.join(' and ')} columns: keep one of them (they mean the same)`);
    }
    if (found.length === 1) columns.set(field, names.indexOf(found[0]!));
  }
  for (const field of ['month', 'model'] as const) {
    if (!columns.has(field)) {
      throw new InputError(
        `${source} has no ${field} column: name one ${headerNames[field].join(' or ')} in the first line (it is "${header.join(',')}")`,
      );
    }
  }
  if (!measures.some((m) => columns.has(m))) {
    throw new InputError(
      `${source} has no token or cost column: add one of ${measures.flatMap((m) => headerNames[m]).join(', ')} (the first line is "${header.join(',')}")`,
    );
  }
  return columns;
}
