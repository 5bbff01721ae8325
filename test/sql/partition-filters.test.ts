import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlRoot } from '../../functions/paths.js';
import { isTableName, tables } from '../../functions/schema/tables.js';

/**
 * Every read of a partitioned table bounds its partition column from below and above, so that on BigQuery a job
 * pays for the partitions of its window, not for the ledger's whole history. The bound must sit in the same
 * CTE or subquery as the `from`: the text from the `from` to the end of that block.
 */

function sqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'duckdb' ? [] : sqlFiles(path); // duckdb/: local files only
    return name.endsWith('.sql') ? [path] : [];
  });
}

interface Read {
  file: string;
  table: string;
  field: string;
  block: string;
}

function partitionedReads(file: string): Read[] {
  const text = readFileSync(file, 'utf8');
  const reads: Read[] = [];
  for (const match of text.matchAll(/from \{\{ table\((\w+)\) \}\}/g)) {
    const table = match[1]!;
    if (!isTableName(table) || !tables[table].partition) continue;
    const rest = text.slice(match.index);
    const end = rest.search(/\n\)|$/);
    reads.push({ file: relative(sqlRoot, file), table, field: tables[table].partition!.field, block: rest.slice(0, end) });
  }
  return reads;
}

const reads = sqlFiles(sqlRoot).flatMap(partitionedReads);

describe('reads of partitioned tables', () => {
  it('are found in the SQL files (so the checks below check something)', () => {
    expect(reads.map((r) => r.table)).toContain('llm_calls');
  });

  it.each(reads.map((r) => [`${r.file} reads ${r.table}`, r] as const))('%s within a bounded range of its partition column', (_, read) => {
    const column = `(?:\\w+\\.)?${read.field}`;
    expect(read.block).toMatch(new RegExp(`${column}\\s*>=?[^\\n]*@`));
    expect(read.block).toMatch(new RegExp(`${column}\\s*<=?[^\\n]*@`));
  });
});
