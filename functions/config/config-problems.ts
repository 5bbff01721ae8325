import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { closestKey } from './closest-key.js';

/**
 * Turns what is wrong with a config file into the one ConfigError a person reads: every problem at once (fixing
 * them one run at a time is miserable), each on its own line with the line number, the key path, what it must be
 * with an example, and what the file actually says:
 *
 *   finops.config.yaml has 2 problems:
 *     - line 14, features.support_bot.retry_cap: must be a whole number >= 1, e.g. retry_cap: 3 (got 0)
 *     - line 15, features.support_bot.retry_cpa: unknown key: did you mean retry_cap?
 */

/** A parsed YAML document with what is needed to point back into its text. */
export interface SourceFile {
  readonly text: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

/** One ConfigError for a list of problem lines. */
export function problemsError(source: string, problems: readonly string[]): ConfigError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new ConfigError(`${source} has ${count}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** YAML syntax errors (bad indentation, an unclosed quote, a duplicate key), each with its line and column. */
export function syntaxProblems(file: SourceFile): string[] {
  return file.doc.errors.map((error) => {
    const position = error.linePos?.[0];
    const where = position ? `line ${position.line}, column ${position.col}: ` : '';
    const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return `${where}${what} (YAML syntax: check the indentation and quoting there)`;
  });
}

/**
 * The schema's issues as problem lines, in the order of the file; unknown keys get one line each, with the closest
 * known key.
 */
export function schemaProblems(issues: readonly z.core.$ZodIssue[], file: SourceFile, schema: z.ZodType): string[] {
  const problems: { line: number; text: string }[] = [];
  const add = (path: readonly PropertyKey[], what: string) => {
    const { offset } = locate(file, path);
    const line = offset === undefined ? 0 : file.lineCounter.linePos(offset).line;
    problems.push({ line, text: `${line > 0 ? `line ${line}, ` : ''}${formatPath(path)}: ${what}` });
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const suggestion = closestKey(key, known);
        add([...issue.path, key], `unknown key: ${suggestion ? `did you mean ${suggestion}?` : `the keys allowed here are ${known.join(', ')}`}`);
      }
    } else {
      add(issue.path, `${issue.message} (got ${shownValue(file, issue.path)})`);
    }
  }
  return problems.sort((a, b) => a.line - b.line).map((p) => p.text);
}

/** `features.support_bot.approved_models[1]`; keys that are not plain words are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the whole file)';
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (!/^[\w-]+$/.test(name)) return `[${JSON.stringify(name)}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}

/** What the file says at a path, as the user typed it (quotes included), or "missing" / "no value". */
function shownValue(file: SourceFile, path: readonly PropertyKey[]): string {
  const { found, node } = locate(file, path);
  if (!found) return 'missing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value === null) return 'no value';
    const shown = node.range ? file.text.slice(node.range[0], node.range[1]) : String(node.value);
    return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
  }
  return node === null || node === undefined ? 'no value' : 'a value of another kind';
}

/**
 * Finds the node at a key path in the document, and the offset of its key (or of the deepest ancestor that
 * exists, when the key itself is missing), so every problem can name a line.
 */
function locate(file: SourceFile, path: readonly PropertyKey[]): { found: boolean; node: unknown; offset?: number } {
  let node: unknown = file.doc.contents;
  let offset = rangeStart(node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) return { found: false, node: undefined, offset };
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number' && key < node.items.length) {
      node = node.items[key];
      offset = rangeStart(node) ?? offset;
    } else {
      return { found: false, node: undefined, offset };
    }
  }
  return { found: true, node, offset };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

/**
 * The keys the schema allows in the object at a path, for "did you mean". Wrappers (optional, defaults,
 * preprocessing, transforms) are looked through; records and lists step into their values.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (current instanceof z.ZodObject) current = current.shape[String(key)] as z.ZodType | undefined;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else return [];
    current = current && unwrap(current);
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodPrefault) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      // z.preprocess is transform -> schema; .transform is schema -> transform: follow the side that is a schema.
      current = (current.in instanceof z.ZodTransform ? current.out : current.in) as z.ZodType;
    } else {
      return current;
    }
  }
}
