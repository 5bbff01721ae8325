import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodeSqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { replaceRangeScript } from '../../functions/engine/bigquery.js';
import { sqlRoot } from '../../functions/paths.js';
import { render } from '../../functions/sql/dialect.js';

/**
 * The queries in sql/ are written once and rendered for both engines; the DuckDB tests run them, but nothing runs
 * them on BigQuery before a deploy. This parses each one, rendered for BigQuery, with node-sql-parser's BigQuery
 * grammar: it catches a DuckDB-only spelling, a macro that renders wrong, a stray `$param`. The parser is lenient
 * about function names, so this checks syntax, not that every function exists in BigQuery.
 */

const { Parser } = nodeSqlParser;
const tableRef = (name: string) => '`proj.ds.' + name + '`';

function parse(sql: string): void {
  new Parser().astify(sql, { database: 'BigQuery' });
}

/**
 * Folders of sql/ whose queries one engine runs as they are, never rendered for the other: sql/duckdb/ holds the
 * DuckDB-only loading path (read_csv, `$params`, anti join).
 */
const engineOnlyFolders = ['duckdb'];

/** Every shared .sql file under sql/, as a path relative to sql/. Found afresh on each run. */
const sharedQueries = (readdirSync(sqlRoot, { recursive: true }) as string[])
  .map((file) => file.split('\\').join('/'))
  .filter((file) => file.endsWith('.sql') && !engineOnlyFolders.includes(file.split('/')[0]!))
  .sort();

/**
 * BigQuery constructs node-sql-parser 5.4 cannot parse. A query that fails to parse and uses one of these is
 * skipped with a note naming it (visible in the test report); any other failure fails. Each entry carries an
 * example that is checked below to still fail, so an entry goes away once the parser learns the construct.
 */
const unparseable = [
  {
    construct: 'scripting: begin / commit / rollback transaction',
    pattern: /\b(begin|commit|rollback)\s+transaction\b/i,
    example: 'begin transaction',
  },
  {
    construct: 'qualify',
    pattern: /\bqualify\b/i,
    example: 'select a from `p.d.t` qualify row_number() over (partition by a order by b desc) = 1',
  },
  {
    construct: 'merge',
    pattern: /^\s*merge\b/im,
    example: 'merge `p.d.t` t using (select 1 as a) s on t.a = s.a when matched then update set a = s.a',
  },
  {
    construct: 'ignore nulls / respect nulls in an aggregate',
    pattern: /\b(ignore|respect)\s+nulls\b/i,
    example: 'select array_agg(x ignore nulls order by y limit 1)[safe_offset(0)] as a from `p.d.t`',
  },
  {
    construct: 'is [not] distinct from',
    pattern: /\bis\s+(not\s+)?distinct\s+from\b/i,
    example: 'select a from `p.d.t` where b is distinct from c',
  },
];

describe('the shared queries in sql/, rendered for BigQuery', () => {
  it.for(sharedQueries)('%s parses', (file, { skip }) => {
    const sql = render(readFileSync(join(sqlRoot, file), 'utf8'), 'bigquery', tableRef);
    try {
      parse(sql);
    } catch (error) {
      const known = unparseable.filter(({ pattern }) => pattern.test(sql)).map(({ construct }) => construct);
      if (known.length > 0) skip(`node-sql-parser cannot parse ${known.join(', ')}`);
      throw new Error(`${file} does not parse as BigQuery SQL: ${(error as Error).message}\n\n${sql}`);
    }
  });
});

describe('the list of constructs node-sql-parser cannot parse', () => {
  it.each(unparseable)('still includes $construct, which it still rejects', ({ pattern, example }) => {
    expect(example).toMatch(pattern);
    expect(() => parse(example)).toThrow();
  });
});

describe('each macro, rendered for BigQuery', () => {
  it.each([
    { macro: 'table', sql: 'select count(*) as n from {{ table(llm_calls) }}', renders: 'from `proj.ds.llm_calls`' },
    { macro: 'day', sql: 'select {{ day(ts) }} as day from {{ table(llm_calls) }}', renders: 'date(ts)' },
    { macro: 'hour', sql: 'select {{ hour(ts) }} as hour from {{ table(llm_calls) }}', renders: 'timestamp_trunc(ts, hour)' },
    { macro: 'week', sql: 'select {{ week({{ day(ts) }}) }} as week from {{ table(llm_calls) }}', renders: 'date_trunc(date(ts), isoweek)' },
    { macro: 'month', sql: 'select {{ month(day) }} as month from {{ table(calls_by_day) }}', renders: 'date_trunc(day, month)' },
    { macro: 'add_days', sql: 'select {{ add_days(date(@as_of), -35) }} as since', renders: 'date_add(date(@as_of), interval -35 day)' },
    { macro: 'days_between', sql: 'select {{ days_between(day, date(@as_of)) }} as age from {{ table(calls_by_day) }}', renders: 'date_diff(date(@as_of), day, day)' },
    { macro: 'money', sql: 'select {{ money(sum(cost_usd)) }} as spend_usd from {{ table(llm_calls) }} where ts >= timestamp(@from)', renders: 'cast(sum(cost_usd) as numeric)' },
    { macro: 'float', sql: 'select {{ float(calls) }} as calls from {{ table(calls_by_day) }}', renders: 'cast(calls as float64)' },
    { macro: 'in_list', sql: 'select model from {{ table(calls_by_day) }} where {{ in_list(model, @models) }}', renders: 'model in unnest(@models)' },
    { macro: 'safe_divide', sql: 'select {{ safe_divide(sum(spend_usd), sum(calls)) }} as per_call from {{ table(calls_by_day) }}', renders: 'safe_divide(sum(spend_usd), sum(calls))' },
  ])('$macro renders as $renders and parses', ({ sql, renders }) => {
    const rendered = render(sql, 'bigquery', tableRef);
    expect(rendered).toContain(renders);
    expect(() => parse(rendered)).not.toThrow();
  });
});

describe("the BigQuery engine's range replacement script", () => {
  it('parses statement by statement, apart from the transaction statements', () => {
    const select = render('select {{ day(ts) }} as day, count(*) as calls from {{ table(llm_calls) }} group by 1', 'bigquery', tableRef);
    const statements = replaceRangeScript('calls_by_day', select, tableRef)
      .split(/;\n|;$/)
      .filter((statement) => statement.trim() !== '');
    const [scripting, dml] = [
      statements.filter((s) => unparseable[0]!.pattern.test(s)),
      statements.filter((s) => !unparseable[0]!.pattern.test(s)),
    ];
    expect(scripting).toEqual(['begin transaction', 'commit transaction']);
    expect(dml).toHaveLength(2);
    for (const statement of dml) expect(() => parse(statement)).not.toThrow();
  });
});
