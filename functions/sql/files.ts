import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlRoot } from '../paths.js';

const cache = new Map<string, string>();

/** The text of a query in sql/, e.g. `sqlFile('rollup/calls_by_day.sql')`, read once. */
export function sqlFile(path: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(join(sqlRoot, path), 'utf8');
    cache.set(path, text);
  }
  return text;
}
