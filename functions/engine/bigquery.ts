import { BigQuery, type TableField } from '@google-cloud/bigquery';
import { PassThroughClient } from 'google-auth-library';
import { EngineError } from '../errors.js';
import { render, type TableRef } from '../sql/dialect.js';
import { partitionColumn, tables, tableNames, type TableName } from '../schema/tables.js';
import type { QueryJob } from '../config/config-schema.js';
import { defaultConfig, type FinopsConfig } from '../config/finops-config.js';
import { formatBytes } from '../format/bytes.js';
import type { DayRange, Engine, Param, Params, QueryOptions, Row, Value } from './engine.js';

/**
 * The cloud engine: BigQuery, through Google's own client. Every job is a query job with named parameters, so one
 * code path carries the guardrails below; rows stream in with insertAll, keyed for dedupe; range replacement is
 * one multi-statement transaction.
 *
 * How the two engines handle the same concern:
 * | concern             | DuckDB                                   | BigQuery                                        |
 * |---------------------|------------------------------------------|-------------------------------------------------|
 * | table names         | bare                                     | `project.dataset.name`                          |
 * | parameters          | `$name`, lists as VARCHAR[]              | `@name`, types sent for nulls and string arrays |
 * | money               | DECIMAL(38, 9)                           | NUMERIC, padded to 9 places on the way out      |
 * | appending rows      | appender + one insert in a transaction   | insertAll in batches, insertId = unique key     |
 * | replacing a range   | delete + insert in a transaction         | one script: begin, delete, insert, commit       |
 * | runaway cost        | none (local)                             | maximumBytesBilled, jobTimeoutMs, labels        |
 */

/**
 * The most one query may bill, by its `job` label, from the config's `bigquery.maximum_bytes_billed` (default
 * 10 GB, about $0.06 on demand). ai-finops's queries read a few days of a partitioned, clustered ledger, so a query
 * that would scan more is a bug (a missing partition filter), and BigQuery refuses it before it runs instead of
 * billing it. A job whose window is wider (detect reads months) can get a cap of its own.
 */
export type BytesBilledCaps = FinopsConfig['bigquery']['maximum_bytes_billed'];

/** The job's own cap, if the config gives it one. */
function ownCap(caps: BytesBilledCaps, job: string | undefined): number | undefined {
  return job !== undefined && job !== 'default' && Object.hasOwn(caps, job) ? caps[job as QueryJob] : undefined;
}

/** The cap on bytes billed that applies to a query of this job label. */
function capFor(caps: BytesBilledCaps, job: string | undefined): number {
  return ownCap(caps, job) ?? caps.default;
}

/** The config key that sets it: the job's own when it has one, else the default. */
function capKey(caps: BytesBilledCaps, job: string | undefined): string {
  return `bigquery.maximum_bytes_billed.${ownCap(caps, job) === undefined ? 'default' : job}`;
}

/** How long one job may run before BigQuery cancels it: 10 minutes, far above any rollup over a few days. */
export const jobTimeoutMs = 10 * 60 * 1000;

/** Every job carries this label, so the project's own BigQuery spend shows up in billing exports by app. */
export const appLabel = { app: 'ai-finops' } as const;

/**
 * Rows per insertAll request. Google recommends about 500: small enough to stay far below the 10 MB request cap with
 * wide rows, large enough to keep request overhead low. A failed batch can be resent whole, as its rows carry
 * insertIds.
 */
export const insertBatchSize = 500;

export interface BigQueryEngineOptions {
  projectId: string;
  dataset: string;
  /** The dataset's location (`EU`, `us-central1`); jobs run there. */
  location?: string;
  /**
   * Another API root, for tests and emulators. A plain `http://` endpoint is taken to be a local fake and is called
   * without credentials: credentials never travel over plain HTTP, and no metadata server is asked for any.
   */
  apiEndpoint?: string;
  /** A ready client (tests inject one); otherwise one is built from the options above. */
  bigquery?: BigQuery;
  /** The caps on bytes billed per query, by job label (config `bigquery.maximum_bytes_billed`); default: 10 GB each. */
  maximumBytesBilled?: BytesBilledCaps;
}

export class BigQueryEngine implements Engine {
  readonly dialect = 'bigquery' as const;
  readonly projectId: string;
  readonly datasetId: string;
  readonly location: string | undefined;
  readonly caps: BytesBilledCaps;
  private readonly bigquery: BigQuery;

  constructor(options: BigQueryEngineOptions) {
    this.projectId = options.projectId;
    this.datasetId = options.dataset;
    this.location = options.location;
    this.caps = options.maximumBytesBilled ?? defaultConfig.bigquery.maximum_bytes_billed;
    this.bigquery = options.bigquery ?? createClient(options);
  }

  /** `project.dataset.name`, quoted with backticks as BigQuery needs for dashed project ids. */
  readonly tableRef: TableRef = (name) => '`' + this.projectId + '.' + this.datasetId + '.' + name + '`';

  async ensureTables(): Promise<void> {
    const dataset = this.bigquery.dataset(this.datasetId, { location: this.location });
    for (const name of tableNames) {
      const spec = tables[name];
      try {
        await dataset.createTable(name, {
          description: spec.description,
          schema: spec.columns as TableField[],
          timePartitioning: spec.partition ? { type: spec.partition.type, field: spec.partition.field } : undefined,
          clustering: spec.clustering.length > 0 ? { fields: spec.clustering } : undefined,
          requirePartitionFilter: spec.requirePartitionFilter,
        });
      } catch (cause) {
        // Creating and ignoring "already exists" is idempotent and race-free, where check-then-create is neither.
        if ((cause as { code?: unknown }).code === 409) continue;
        throw this.rewrite(cause, `creating table ${name}`);
      }
    }
  }

  async query(template: string, params: Params = {}, options: QueryOptions = {}): Promise<Row[]> {
    return this.run(render(template, 'bigquery', this.tableRef), params, options);
  }

  async insertRows(table: TableName, rows: Row[]): Promise<void> {
    const columns = tables[table].columns.map((c) => c.name);
    const key = tables[table].uniqueKey;
    const target = this.bigquery.dataset(this.datasetId, { location: this.location }).table(table);
    for (let start = 0; start < rows.length; start += insertBatchSize) {
      const batch = rows.slice(start, start + insertBatchSize).map((row) => {
        // Only the table's columns are sent, as DuckDB's insert does: insertAll rejects unknown fields.
        const json = Object.fromEntries(columns.map((column) => [column, row[column] ?? null]));
        const id = key === null ? null : row[key];
        return id === null || id === undefined ? { json } : { insertId: String(id), json };
      });
      try {
        // partialRetries: 0 because BigQuery fails the whole request when any row is invalid, and an invalid row
        // stays invalid: retrying would only repeat the failure. The caller can resend the batch; insertIds keep
        // rows that did land from landing twice.
        await target.insert(batch, { raw: true, partialRetries: 0 });
      } catch (cause) {
        throw this.rewriteInsert(cause, table, batch, start);
      }
    }
  }

  async replaceRange(
    table: TableName,
    range: DayRange,
    selectTemplate: string,
    params: Params = {},
    options: QueryOptions = {},
  ): Promise<void> {
    const script = replaceRangeScript(table, render(selectTemplate, 'bigquery', this.tableRef), this.tableRef);
    await this.run(script, { ...params, range_from: range.from, range_to: range.to }, options);
  }

  /** The cap on bytes billed a query with these labels runs under. */
  capOf(labels: Record<string, string> = {}): number {
    return capFor(this.caps, labels.job);
  }

  /**
   * The bytes a query would scan, from a dry run: BigQuery plans the query (partition pruning included) and
   * answers with totalBytesProcessed, running and billing nothing. Sent without the cap on bytes billed, so a query
   * over its cap still gets its figure (`ai-finops estimate` flags it). A range replacement is estimated by its
   * select (the delete of the range it replaces reads only that range's partitions of a rollup table).
   */
  async dryRun(template: string, params: Params = {}, options: QueryOptions = {}): Promise<{ bytes: number }> {
    const sql = render(template, 'bigquery', this.tableRef);
    try {
      const { maximumBytesBilled: _cap, ...config } = this.jobConfig(sql, params, options);
      const [job] = await this.bigquery.createQueryJob({ ...config, dryRun: true });
      return { bytes: Number(job.metadata?.statistics?.totalBytesProcessed ?? 0) };
    } catch (cause) {
      throw this.rewrite(cause, 'dry run', options);
    }
  }

  async close(): Promise<void> {
    // The client holds no connection to close: each call is its own HTTPS request.
  }

  /** One query job's configuration, guardrails included: the job's cap on bytes billed, the timeout, the labels. */
  private jobConfig(sql: string, params: Params, options: QueryOptions) {
    const used = usedParams(sql, params);
    const types = paramTypes(used);
    return {
      query: sql,
      params: Object.keys(used).length > 0 ? used : undefined,
      // Sent only when needed: the client passes `types` on inside the job configuration too, as it does for
      // every caller of its documented `query({ params, types })`.
      types: Object.keys(types).length > 0 ? types : undefined,
      useLegacySql: false,
      // A string, because the API field is int64.
      maximumBytesBilled: String(this.capOf(options.labels)),
      jobTimeoutMs,
      labels: jobLabels(options.labels),
      location: this.location,
    };
  }

  /** Runs rendered SQL as one query job with the guardrails, and returns its rows in the engine-neutral shape. */
  private async run(sql: string, params: Params, options: QueryOptions): Promise<Row[]> {
    try {
      const [job] = await this.bigquery.createQueryJob(this.jobConfig(sql, params, options));
      // wrapIntegers keeps INT64 exact until toRow checks it fits a JavaScript number. The response of the last
      // page carries the schema, which decides how each column converts.
      const [rows, , response] = await job.getQueryResults({ wrapIntegers: true });
      const fields = response?.schema?.fields ?? [];
      return rows.map((row) => toRow(row as Record<string, unknown>, fields));
    } catch (cause) {
      if (cause instanceof EngineError) throw cause;
      throw this.rewrite(cause, 'query', options);
    }
  }

  /** Rewrites a client error into an EngineError whose message says what to check. */
  private rewrite(cause: unknown, doing: string, options: QueryOptions = {}): EngineError {
    const error = cause as { code?: unknown; message?: string; errors?: { reason?: string }[] };
    const reason = error.errors?.[0]?.reason;
    const message = `BigQuery ${doing} failed: ${error.message ?? String(cause)}`;
    return new EngineError(`${message}\n${this.hint(error.code, reason, message, options.labels?.job)}`, { cause });
  }

  private hint(code: unknown, reason: string | undefined, message: string, job: string | undefined): string {
    const where = `FINOPS_BQ_PROJECT (${this.projectId}), FINOPS_BQ_DATASET (${this.datasetId}) and FINOPS_BQ_LOCATION (${this.location ?? 'unset'})`;
    if (reason === 'bytesBilledLimitExceeded') {
      const cap = capFor(this.caps, job);
      const key = capKey(this.caps, job);
      const raise = job === undefined || key.endsWith(`.${job}`) ? `raise ${key}` : `set bigquery.maximum_bytes_billed.${job} (this job only) or raise ${key}`;
      return (
        `The query of job ${job ?? '(no job label)'} would bill more than its cap of ${cap} bytes (${formatBytes(cap)}, ${key}): ` +
        'it probably lacks a filter on the partition column (ts or day); narrow the date range or add one. If the scan ' +
        `is expected, ${raise} in the config; \`ai-finops estimate JOB\` prints what each query of a job would scan.`
      );
    }
    if (reason === 'quotaExceeded' || reason === 'rateLimitExceeded') {
      return 'A BigQuery quota or rate limit was hit: wait and run the job again (every job is idempotent).';
    }
    if (/streaming buffer/i.test(message)) {
      return 'Rows streamed in the last half hour or so cannot be deleted or updated yet: run the job again later.';
    }
    if (reason === 'invalidQuery') {
      return 'BigQuery rejected the SQL: the line and column above refer to the rendered query; check its template in sql/ and the macros in sql/README.md.';
    }
    if (code === 401) {
      return 'No usable credentials: run `gcloud auth application-default login`, or check the service account the function runs as.';
    }
    if (code === 403) {
      return `Access denied: check ${where}, and that the service account has roles/bigquery.jobUser on the project and roles/bigquery.dataEditor on the dataset.`;
    }
    if (code === 404) {
      return `Not found: check ${where}. The dataset comes from terraform apply; the tables from ensureTables.`;
    }
    if (typeof code === 'number' && code >= 500) {
      return 'BigQuery failed on its side: run the job again (every job is idempotent).';
    }
    if (typeof code === 'string') {
      return `BigQuery could not be reached (${code}): check the network, or FINOPS_BQ_API_ENDPOINT if it is set.`;
    }
    return 'The error from the BigQuery client is attached as cause.';
  }

  /** Names the first row BigQuery rejected and why; "stopped" rows were only collateral of that one. */
  private rewriteInsert(cause: unknown, table: TableName, batch: object[], batchStart: number): EngineError {
    const failure = cause as {
      name?: string;
      errors?: { row?: { insertId?: string }; errors?: { reason?: string; message?: string }[] }[];
    };
    if (failure.name !== 'PartialFailureError' || !failure.errors?.length) {
      return this.rewrite(cause, `inserting into ${table}`);
    }
    // The client hands back the very row objects it was given, so each row's place in the input can be found.
    const place = (row: object | undefined) => batch.indexOf(row ?? {});
    const rejected = failure.errors
      .filter((e) => e.errors?.some((r) => r.reason !== 'stopped'))
      .sort((a, b) => place(a.row) - place(b.row));
    const first = rejected[0] ?? failure.errors[0]!;
    const why = first.errors?.find((r) => r.reason !== 'stopped') ?? first.errors?.[0];
    const row = first.row?.insertId ? `row ${first.row.insertId}` : `row number ${batchStart + place(first.row) + 1}`;
    return new EngineError(
      `BigQuery rejected ${row} of ${table} (${why?.reason ?? 'unknown'}: ${why?.message ?? 'no message'}); ` +
        `the batch of rows from number ${batchStart + 1} did not land, earlier batches did. Fix the row and load ` +
        `again: rows carry insertIds, so resending is safe.`,
      { cause },
    );
  }
}

function createClient(options: BigQueryEngineOptions): BigQuery {
  const local = options.apiEndpoint?.startsWith('http://') ?? false;
  return new BigQuery({
    projectId: options.projectId,
    location: options.location,
    apiEndpoint: options.apiEndpoint,
    ...(local ? { authClient: new PassThroughClient() } : {}),
  });
}

/**
 * The one script that replaces a range of a table: BigQuery runs it as one job, and a script that fails before
 * `commit transaction` rolls the transaction back, so either the old rows stay or all the new ones are there.
 * DATE partition columns compare with `date(@range_from)`, TIMESTAMP ones with `timestamp(@range_from)`
 * (midnight UTC), which also satisfies requirePartitionFilter.
 *
 * @example
 * replaceRangeScript('calls_by_day', 'select ...', (n) => n)
 * // begin transaction;
 * // delete from calls_by_day where day >= date(@range_from) and day < date(@range_to);
 * // insert into calls_by_day (day, ...) select day, ... from (select ...);
 * // commit transaction;
 */
export function replaceRangeScript(table: TableName, select: string, tableRef: TableRef): string {
  const { name, type } = partitionColumn(table);
  const cast = type === 'DATE' ? 'date' : 'timestamp';
  const target = tableRef(table);
  const columns = tables[table].columns.map((c) => c.name).join(', ');
  return [
    'begin transaction;',
    `delete from ${target} where ${name} >= ${cast}(@range_from) and ${name} < ${cast}(@range_to);`,
    `insert into ${target} (${columns})\nselect ${columns} from (\n${select}\n);`,
    'commit transaction;',
  ].join('\n');
}

/** Only the parameters the SQL mentions, as the DuckDB engine does: callers may pass a shared set. */
function usedParams(sql: string, params: Params): Params {
  return Object.fromEntries(Object.entries(params).filter(([name]) => new RegExp(`@${name}\\b`).test(sql)));
}

/**
 * The types the client cannot infer from a value: a null has no type, and an empty array has no element to look
 * at. Nulls go as STRING (cast in SQL, as dates and timestamps already are); lists are lists of strings.
 */
function paramTypes(params: Params): Record<string, string | string[]> {
  const types: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(params) as [string, Param][]) {
    if (value === null) types[name] = 'STRING';
    else if (Array.isArray(value)) types[name] = ['STRING'];
  }
  return types;
}

/** BigQuery's label rules: lowercase letters, digits, `_` and `-`, at most 63 characters. */
export function labelValue(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 63);
}

/** The caller's labels (job, feature), sanitized, plus the app label, which a caller cannot override. */
export function jobLabels(labels: Record<string, string> = {}): Record<string, string> {
  const clean = Object.entries(labels).map(([key, value]) => [labelValue(key), labelValue(value)]);
  return { ...Object.fromEntries(clean), ...appLabel };
}

type Convert = (value: unknown, field: TableField) => Value;

/** The wrapper objects the client returns (Big, BigQueryDate, BigQueryTimestamp, BigQueryInt), as far as used. */
interface Wrapped {
  value?: string;
  toFixed?: () => string;
}

/** NUMERIC and BIGNUMERIC arrive as Big numbers: written out unrounded, padded to DuckDB's 9 places. */
const toDecimal: Convert = (value) => {
  const text = (value as Wrapped).toFixed!();
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(9, '0')}`;
};

const toInteger: Convert = (value, field) => {
  const number = Number((value as Wrapped).value ?? value);
  if (!Number.isSafeInteger(number)) {
    throw new EngineError(`column ${field.name} holds ${String((value as Wrapped).value)}, too large for a JavaScript number: cast it to STRING in the query`);
  }
  return number;
};

/** BigQueryTimestamp carries an ISO string, with microseconds when there are any; DuckDB's side gives milliseconds. */
const toTimestamp: Convert = (value) => new Date((value as Wrapped).value!).toISOString();

const converters: Record<string, Convert> = {
  STRING: (value) => value as string,
  BOOL: (value) => value as boolean,
  BOOLEAN: (value) => value as boolean,
  FLOAT64: (value) => value as number,
  FLOAT: (value) => value as number,
  INT64: toInteger,
  INTEGER: toInteger,
  NUMERIC: toDecimal,
  BIGNUMERIC: toDecimal,
  DATE: (value) => (value as Wrapped).value!,
  TIMESTAMP: toTimestamp,
};

function toRow(row: Record<string, unknown>, fields: TableField[]): Row {
  const out: Row = {};
  for (const field of fields) {
    const name = field.name!;
    const convert = converters[field.type ?? ''];
    if (!convert || field.mode === 'REPEATED') {
      const type = field.mode === 'REPEATED' ? `ARRAY<${field.type}>` : field.type;
      throw new EngineError(`column ${name} has BigQuery type ${type}, which ai-finops does not read: cast it in the query to STRING, INT64, NUMERIC, DATE or TIMESTAMP`);
    }
    const value = row[name];
    out[name] = value === null || value === undefined ? null : convert(value, field);
  }
  return out;
}
