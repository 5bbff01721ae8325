import type { Command } from 'commander';
import { loadFinopsConfig, resolveConfigPath, type FinopsConfig } from '../config/finops-config.js';
import { parseSettings, type Settings } from '../config/settings.js';
import { openEngine } from '../engine/open.js';
import type { Engine } from '../engine/engine.js';
import { UsageError } from '../errors.js';
import { dayOf, parseDay } from '../time/days.js';

/** Options every command that touches the ledger takes (CONTRACT.md). */
export interface LedgerOptions {
  db?: string;
  config?: string;
  json?: boolean;
}

export interface Ledger {
  engine: Engine;
  config: FinopsConfig;
  settings: Settings;
}

/** `--db` and `--config`, declared once for every command that opens the ledger (CONTRACT.md). */
export function ledgerOptions(command: Command): Command {
  return command
    .option('--db <path>', 'DuckDB ledger file (default: FINOPS_DUCKDB_PATH, else ./ai-finops.duckdb)')
    .option('--config <file>', 'feature config (default: FINOPS_CONFIG, else ./finops.config.yaml)');
}

/** `--json` for a command that prints a table for people or one JSON object for machines. */
export function jsonOption(command: Command): Command {
  return command.option('--json', 'print one JSON object');
}

/** `--format`, `--json` (the same as `--format json`) and `--output`, for reports. */
export function reportOutputOptions(command: Command): Command {
  return command
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--json', 'the same as --format json')
    .option('--output <file>', 'write to a file instead of stdout');
}

/** Settings from the environment, the config file by the contract's order, and the engine, opened once. */
export async function openLedger(options: LedgerOptions, env: NodeJS.ProcessEnv = process.env): Promise<Ledger> {
  const settings = parseSettings(env);
  const config = await loadFinopsConfig(resolveConfigPath(options.config, env, process.cwd()));
  const engine = await openEngine(settings, options.db ?? settings.duckdbPath, config);
  return { engine, config, settings };
}

/** `--as-of`, or today (UTC). */
export function asOfDay(text: string | undefined, now: Date = new Date()): string {
  return text === undefined ? dayOf(now) : parseDay(text, '--as-of');
}

/** Prints one JSON object for machines, or the text for people. */
export function print(value: unknown, json: boolean | undefined, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : text() + '\n');
}

export type OutputFormat = 'table' | 'csv' | 'json';

/** `--format`, where `--json` is the same as `--format json`. */
export function outputFormat(format: string | undefined, json: boolean | undefined, allowed: readonly string[]): string {
  const chosen = json ? 'json' : (format ?? 'table');
  if (!allowed.includes(chosen)) {
    throw new UsageError(`--format ${chosen} is not one of ${allowed.join(', ')}`);
  }
  return chosen;
}

/** Progress for long work goes to stderr, so stdout stays the result (and valid JSON with --json). */
export function progress(message: string): void {
  process.stderr.write(message + '\n');
}
