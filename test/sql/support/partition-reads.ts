import nodeSqlParser from 'node-sql-parser';
import { isTableName, tables, type TableName } from '../../../functions/schema/tables.js';

/**
 * Finds, in one statement rendered for BigQuery, every read of a partitioned table and whether that read bounds
 * its partition column from below and from above, by walking node-sql-parser's BigQuery AST. A bound counts only
 * where BigQuery can prune with it: a comparison (`>=`, `>`, `<`, `<=`, or `between`) between the partition column
 * of that very table (bare, or qualified by its name or alias) and an expression of no column at all (parameters,
 * literals, functions of them), in the top-level `and` chain of the `where` of the same select (or the `on` of the
 * same join). A bound in another CTE, under an `or`, or against another column does not prune, so it does not count.
 */

const { Parser } = nodeSqlParser;

/** Tables are rendered as `project.dataset.name`; anything else in a `from` is a CTE, a subquery or unnest. */
const qualified = /^[^.]+\.[^.]+\.(\w+)$/;

export interface PartitionRead {
  table: TableName;
  column: string;
  lower: boolean;
  upper: boolean;
}

type Node = Record<string, any>;

export function parseBigQuery(sql: string): Node[] {
  const ast = new Parser().astify(sql, { database: 'BigQuery' }) as Node | Node[];
  return Array.isArray(ast) ? ast : [ast];
}

/**
 * The one construct of ours the parser accepts but drops: an UPDATE's `from (subquery) as alias` (its AST keeps
 * `table`, `set` and `where` only), so the reads inside the subquery would go unchecked. They are checked by
 * parsing that subquery on its own. Narrow on purpose: an UPDATE whose FROM is anything but one parenthesized
 * subquery is refused, so the check never silently skips a read.
 */
export function updateFromSubquery(sql: string): string | null {
  const from = /\bset\b[\s\S]*?\bfrom\s*(\()?/i.exec(sql);
  if (!from) return null;
  if (!from[1]) throw new Error('an UPDATE ... FROM whose FROM is not one parenthesized subquery: the partition check cannot see into it');
  const start = from.index + from[0].length;
  let depth = 1;
  for (let i = start; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    if (sql[i] === ')' && --depth === 0) return sql.slice(start, i);
  }
  throw new Error('unbalanced parentheses in an UPDATE ... FROM');
}

/** Every read of a partitioned table in a statement rendered for BigQuery, with the bounds its select puts on it. */
export function partitionReads(sql: string): PartitionRead[] {
  const statements = parseBigQuery(sql);
  const reads = statements.flatMap((statement) => readsIn(statement));
  if (statements.some((s) => s.type === 'update')) {
    const subquery = updateFromSubquery(sql);
    if (subquery !== null) reads.push(...partitionReads(subquery));
  }
  return reads;
}

/** Walks every node: each select, update or delete found anywhere (CTEs, subqueries, unions) is checked on its own. */
function readsIn(node: unknown): PartitionRead[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap(readsIn);
  const n = node as Node;
  const own = ['select', 'update', 'delete'].includes(n.type) ? readsOfStatement(n) : [];
  return [...own, ...Object.values(n).flatMap(readsIn)];
}

/** The tables an AST statement reads: a select's and a delete's `from`, an update's `table`. */
function sources(statement: Node): Node[] {
  return [...(statement.from ?? []), ...(statement.type === 'update' || statement.type === 'delete' ? statement.table ?? [] : [])];
}

/**
 * A source's table name and the name its columns are qualified by. node-sql-parser 5.x reads BigQuery's
 * `delete from t` as a table named "from" aliased t; that spelling is undone here.
 */
function tableOf(source: Node): { name: string; alias: string | null } | null {
  const [name, alias] = source.table === 'from' && typeof source.as === 'string' ? [source.as, null] : [source.table, source.as ?? null];
  return typeof name === 'string' ? { name, alias } : null;
}

function readsOfStatement(statement: Node): PartitionRead[] {
  const reads: PartitionRead[] = [];
  for (const source of sources(statement)) {
    const ref = tableOf(source);
    const table = ref && qualified.exec(ref.name)?.[1];
    if (!table || !isTableName(table) || !tables[table].partition) continue;
    const column = tables[table].partition!.field;
    const names = new Set([null, table, ref!.name, ref!.alias].filter((n) => n !== undefined));
    const bounds = [...conjuncts(statement.where), ...conjuncts(source.on)].map((c) => boundOf(c, column, names));
    reads.push({ table, column, lower: bounds.some((b) => b.lower), upper: bounds.some((b) => b.upper) });
  }
  return reads;
}

/** The terms of a top-level `a and b and c` (parenthesized or not); anything under an `or` is one opaque term. */
function conjuncts(expr: Node | null | undefined): Node[] {
  if (!expr) return [];
  if (expr.type === 'binary_expr' && String(expr.operator).toUpperCase() === 'AND') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

function columnName(ref: Node): string | null {
  if (typeof ref.column === 'string') return ref.column;
  const value = ref.column?.expr?.value;
  return typeof value === 'string' ? value : null;
}

function isPartitionColumn(expr: Node, column: string, names: Set<string | null>): boolean {
  return expr?.type === 'column_ref' && columnName(expr) === column && names.has(expr.table ?? null);
}

/** True when an expression reads no column: a parameter, a literal, or functions and casts of those. */
function constant(expr: unknown): boolean {
  if (expr === null || typeof expr !== 'object') return true;
  if (Array.isArray(expr)) return expr.every(constant);
  const n = expr as Node;
  if (n.type === 'column_ref' || n.type === 'select' || n.ast) return false;
  return Object.values(n).every(constant);
}

const lowerOps = new Set(['>=', '>']);
const upperOps = new Set(['<=', '<']);

function boundOf(term: Node, column: string, names: Set<string | null>): { lower: boolean; upper: boolean } {
  const none = { lower: false, upper: false };
  if (term.type !== 'binary_expr') return none;
  const op = String(term.operator).toUpperCase();
  if (op === 'BETWEEN') {
    const both = isPartitionColumn(term.left, column, names) && constant(term.right);
    return { lower: both, upper: both };
  }
  if (!lowerOps.has(op) && !upperOps.has(op)) return none;
  if (isPartitionColumn(term.left, column, names) && constant(term.right)) return { lower: lowerOps.has(op), upper: upperOps.has(op) };
  if (isPartitionColumn(term.right, column, names) && constant(term.left)) return { lower: upperOps.has(op), upper: lowerOps.has(op) };
  return none;
}
