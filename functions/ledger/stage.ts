import { extname } from 'node:path';
import { defaultConfig, type FinopsConfig } from '../config/finops-config.js';
import { InputError, UsageError } from '../errors.js';
import type { DuckDBEngine } from '../engine/duckdb.js';
import type { Params } from '../engine/engine.js';
import { sqlFile } from '../sql/files.js';
import { recordFields, recordFieldNames, type RecordKind } from './records.js';
import { detectionSample, detectShape, type RecordShape, type SampledRecord, type ShapeChoice } from './shapes.js';

/**
 * Staging: how a file becomes rows that the validation query can read, with their line numbers. This is the one
 * place that knows file formats and record shapes; it only reads, renames and maps (dbt's staging layer), never
 * judges a value.
 *
 * Every format and shape stages to the same columns: `line` (unique per staged row, in file order), `source_line`
 * (the 1-based line of the file the record is on; for CSV the header is line 1; for Parquet the row number; equal
 * to `line` except in OTLP files, where one line holds many spans), `record` (the record as JSON text, kept for the
 * quarantine), `parse_error`, `unknown_fields`, then one column per record field, as text or as the file's own type.
 *
 * Foreign shapes (functions/ledger/shapes.ts) are mapped to those columns in SQL (sql/duckdb/stage_otel.sql,
 * stage_litellm.sql), so a file of millions of spans loads as fast as a native one. What a foreign record has
 * beyond the fields it maps to is dropped; what a native record has beyond its fields is an error.
 *
 * Staging a file leaves the temp table `staging_shape` behind: one row with the file's `source_shape` (which
 * sql/duckdb/new_calls.sql writes to each landed row) and the attribute names that carry feature, segment and
 * customer in foreign records.
 */

export type FileFormat = 'ndjson' | 'csv' | 'parquet';

const formatsByExtension: Record<string, FileFormat> = {
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.json': 'ndjson',
  '.csv': 'csv',
  '.parquet': 'parquet',
};

export function formatOf(path: string): FileFormat {
  const format = formatsByExtension[extname(path).toLowerCase()];
  if (!format) {
    throw new InputError(`${path}: cannot tell its format from the name: use .ndjson (or .jsonl), .csv or .parquet`);
  }
  return format;
}

/** Which attributes (OTel) or metadata keys and tags (LiteLLM) carry feature, segment and customer: config `shapes:`. */
export type ShapeAttributes = FinopsConfig['shapes'];

export interface StagingOptions {
  /** The shape of the file's call records; 'auto' (the default) decides it from the first records. */
  shape?: ShapeChoice;
  /** Default: the config defaults (`feature`, `segment`, `customer_id`). */
  attributes?: ShapeAttributes;
}

/**
 * A `select` over the file (bound to `$path`), to be used as the CTE `staged` of the validation query.
 * @throws InputError when the file cannot be read, a native CSV or Parquet file has a column that is not a field,
 *   or its shape is mixed, unknown or not the one given (see detectShape)
 */
export async function stagingSelect(
  engine: DuckDBEngine,
  kind: RecordKind,
  path: string,
  options: StagingOptions = {},
): Promise<string> {
  const format = formatOf(path);
  const shape = await shapeOfFile(engine, kind, format, path, options.shape ?? 'auto');
  const attributes = options.attributes ?? defaultConfig.shapes;
  await engine.exec(`create or replace temp table staging_shape as ${stagingShapeSelect}`, stagingShapeParams(shape, attributes));
  if (shape !== 'native') return foreignSelect(kind, shape, recordsCte(format, true));
  if (format === 'ndjson') return ndjsonSelect(kind, recordsCte('ndjson', false));
  const columns = await fileColumns(engine, format, path);
  const known = new Set(recordFieldNames(kind));
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new InputError(
      `${path}: column ${unknown.map((c) => `"${c}"`).join(', ')} is not a field of a ${kind} record: ` +
        `rename or drop it (the fields are ${[...known].join(', ')})`,
    );
  }
  const fields = recordFieldNames(kind).map((name) => (columns.includes(name) ? `r."${name}"` : `null as "${name}"`));
  return `select r.line, r.line as source_line, cast(to_json(r) as varchar) as record,
    cast(null as varchar) as parse_error, cast([] as varchar[]) as unknown_fields, ${fields.join(', ')}
    from ${tableSource(format)}`;
}

/** The one row of `staging_shape`, from stagingShapeParams. */
export const stagingShapeSelect = `select $source_shape as source_shape, cast($feature_keys as varchar[]) as feature_keys,
  cast($segment_keys as varchar[]) as segment_keys, cast($customer_keys as varchar[]) as customer_keys`;

export function stagingShapeParams(shape: RecordShape, attributes: ShapeAttributes): Params {
  return {
    source_shape: shape,
    feature_keys: [...attributes.feature_attributes],
    segment_keys: [...attributes.segment_attributes],
    customer_keys: [...attributes.customer_attributes],
  };
}

/**
 * A `select` staging NDJSON lines already in the database, `lines` being a relation (line, raw), in a shape decided
 * beforehand: how the ingest function stages a batch (functions/ingest/scratch.ts) with no file to read and no
 * statement besides. Its caller keeps the table `staging_shape` filled for that shape.
 */
export function linesStagingSelect(kind: RecordKind, shape: RecordShape, lines: string): string {
  const records = ndjsonRecordsCte(`select line, raw from ${lines}`);
  return shape === 'native' ? ndjsonSelect(kind, records) : foreignSelect(kind, shape, records);
}

/** The shape's mapping, united by name with an empty relation of every staged column: what it does not map is null. */
function foreignSelect(kind: RecordKind, shape: Exclude<RecordShape, 'native'>, records: string): string {
  return `with ${records}
      select cast(null as bigint) as line, cast(null as bigint) as source_line, cast(null as varchar) as record,
        cast(null as varchar) as parse_error, cast([] as varchar[]) as unknown_fields,
        ${recordFieldNames(kind).map((name) => `cast(null as varchar) as "${name}"`).join(', ')}
      where false
      union all by name
      select * from (${sqlFile(`duckdb/stage_${shape}.sql`)})`;
}

/** The shape the last staged file was found to hold. */
export async function stagedShape(engine: DuckDBEngine): Promise<RecordShape> {
  const [row] = await engine.exec('select source_shape from staging_shape');
  return row!.source_shape as RecordShape;
}

async function shapeOfFile(
  engine: DuckDBEngine,
  kind: RecordKind,
  format: FileFormat,
  path: string,
  choice: ShapeChoice,
): Promise<RecordShape> {
  if (kind !== 'calls') {
    if (choice !== 'auto' && choice !== 'native') throw new UsageError(`${kind} records have one shape, native: drop --shape ${choice}`);
    return 'native';
  }
  const sample: SampledRecord[] =
    format === 'ndjson'
      ? (await engine.exec(`select raw from ${ndjsonLines(true)} limit ${detectionSample}`, { path })).map((row, i) => ({
          line: i + 1,
          keys: objectKeys(row.raw as string | null),
        }))
      : [{ line: 1, keys: await fileColumns(engine, format, path) }];
  return detectShape(sample, choice, path);
}

/** The keys of a JSON object, or null for anything else (blank, not JSON, an array). */
function objectKeys(text: string | null): string[] | null {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : null;
  } catch {
    return null;
  }
}

/**
 * An NDJSON file as lines: each line is read whole, a control character JSON never holds unescaped being the
 * column delimiter. Native records keep DuckDB's limit of 2 MiB a line, which reads twice as fast; foreign lines
 * may be up to 256 MiB, since one OTLP export request holds a whole batch of spans.
 */
function ndjsonLines(largeLines: boolean): string {
  return `read_csv($path, columns = {'raw': 'varchar'}, header = false, delim = e'\\x01', quote = '', escape = '',
    auto_detect = false${largeLines ? ', max_line_size = 268435456' : ''})`;
}

/** A CSV or Parquet file as a relation `r` with its line number. */
function tableSource(format: 'csv' | 'parquet'): string {
  return format === 'csv'
    ? `(select row_number() over () + 1 as line, * from read_csv($path, header = true, all_varchar = true)) r`
    : `(select file_row_number + 1 as line, * exclude (file_row_number) from read_parquet($path, file_row_number = true)) r`;
}

/**
 * The CTE `records` (line, record, json, parse_error): one row per record of the file, `json` the record as a JSON
 * object (null when the line is not one, with the reason in parse_error), so no JSON function ever sees a malformed
 * line. The foreign shapes' mappings read it, whatever the file's format.
 */
function recordsCte(format: FileFormat, largeLines: boolean): string {
  if (format !== 'ndjson') {
    return `records as (
      select line, cast(to_json(r) as varchar) as record, to_json(r) as json, cast(null as varchar) as parse_error
      from ${tableSource(format)}
    )`;
  }
  return ndjsonRecordsCte(`select row_number() over () as line, raw from ${ndjsonLines(largeLines)}`);
}

/** The CTE `records` over NDJSON lines, `lines` a select of (line, raw). */
function ndjsonRecordsCte(lines: string): string {
  return `lines as (${lines}),
    records as (
      select line, raw as record, case when is_object then json end as json,
        case
          when json is null then 'is not valid JSON: each line must hold one JSON object'
          when not is_object then 'is not a JSON object: each line must hold one object, e.g. {"ts": ...}'
        end as parse_error
      from (
        select line, raw, json, coalesce(json_type(json) = 'OBJECT', false) as is_object
        from (select line, raw, case when json_valid(raw) then raw end as json from lines)
        where trim(coalesce(raw, '')) <> ''
      )
    )`;
}

/** Native NDJSON records staged from the CTE `records` (recordsCte). */
function ndjsonSelect(kind: RecordKind, records: string): string {
  const names = recordFieldNames(kind);
  // from_json parses each line once into a struct of text fields: numbers keep their exact digits (so a cost of
  // 0.1 stays 0.1, not a float), and the validation query casts them.
  const shape = JSON.stringify(Object.fromEntries(recordFields(kind).map((c) => [c.name, 'VARCHAR'])));
  const fieldList = `[${names.map((n) => `'${n}'`).join(', ')}]`;
  return `with ${records}
    select line, line as source_line, record, parse_error,
      case when parse_error is null then list_filter(json_keys(json), k -> not list_contains(${fieldList}, k)) else [] end
        as unknown_fields,
      unnest(case when parse_error is null then from_json(json, '${shape}') end)
    from records`;
}

async function fileColumns(engine: DuckDBEngine, format: FileFormat, path: string): Promise<string[]> {
  const reader =
    format === 'csv' ? `read_csv($path, header = true, all_varchar = true)` : `read_parquet($path)`;
  try {
    const rows = await engine.exec(`describe select * from ${reader}`, { path });
    return rows.map((r) => String(r.column_name));
  } catch (cause) {
    throw new InputError(`${path}: cannot read it as ${format}: ${(cause as Error).message}`, { cause });
  }
}
