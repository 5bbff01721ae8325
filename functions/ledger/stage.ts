import { extname } from 'node:path';
import { InputError } from '../errors.js';
import type { DuckDBEngine } from '../engine/duckdb.js';
import { recordFields, recordFieldNames, type RecordKind } from './records.js';

/**
 * Staging: how a file becomes rows that the validation query can read, with their line numbers. This is the one
 * place that knows file formats; it only reads and renames (dbt's staging layer), never judges a value.
 *
 * Every format stages to the same columns: `line` (1-based line of the file; for CSV the header is line 1; for
 * Parquet the row number), `record` (the record as JSON text, kept for the quarantine), `parse_error`,
 * `unknown_fields`, then one column per record field, as text or as the file's own type.
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

/** A `select` over the file (bound to `$path`), to be used as the CTE `staged` of the validation query. */
export async function stagingSelect(engine: DuckDBEngine, kind: RecordKind, path: string): Promise<string> {
  const format = formatOf(path);
  if (format === 'ndjson') return ndjsonSelect(kind);
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
  const source =
    format === 'csv'
      ? `(select row_number() over () + 1 as line, * from read_csv($path, header = true, all_varchar = true)) r`
      : `(select file_row_number + 1 as line, * exclude (file_row_number) from read_parquet($path, file_row_number = true)) r`;
  return `select r.line, cast(to_json(r) as varchar) as record, cast(null as varchar) as parse_error,
    cast([] as varchar[]) as unknown_fields, ${fields.join(', ')} from ${source}`;
}

function ndjsonSelect(kind: RecordKind): string {
  const names = recordFieldNames(kind);
  // from_json parses each line once into a struct of text fields: numbers keep their exact digits (so a cost of
  // 0.1 stays 0.1, not a float), and the validation query casts them.
  const shape = JSON.stringify(Object.fromEntries(recordFields(kind).map((c) => [c.name, 'VARCHAR'])));
  const fieldList = `[${names.map((n) => `'${n}'`).join(', ')}]`;
  // Each line is read whole: a control character JSON never holds unescaped is the column delimiter.
  return `with lines as (
      select row_number() over () as line, raw
      from read_csv($path, columns = {'raw': 'varchar'}, header = false, delim = e'\\x01', quote = '', escape = '',
        auto_detect = false)
    ),
    records as (
      -- json is null where the line is not valid JSON, so no JSON function ever sees a malformed line
      select line, raw, json
      from (select line, raw, case when json_valid(raw) then raw end as json from lines)
      where trim(coalesce(raw, '')) <> ''
    ),
    objects as (
      select line, raw, json, coalesce(json_type(json) = 'OBJECT', false) as is_object
      from records
    )
    select line, raw as record,
      case
        when json is null then 'is not valid JSON: each line must hold one JSON object'
        when not is_object then 'is not a JSON object: each line must hold one object, e.g. {"ts": ...}'
      end as parse_error,
      case when is_object then list_filter(json_keys(json), k -> not list_contains(${fieldList}, k)) else [] end
        as unknown_fields,
      unnest(case when is_object then from_json(json, '${shape}') end)
    from objects`;
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
