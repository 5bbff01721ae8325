import type { Command } from 'commander';
import { readNegotiatedPrices } from '../../pricing/negotiated.js';
import { loadFile, type LoadResult } from '../../ledger/load.js';
import { recordShapes, type ShapeChoice } from '../../ledger/shapes.js';
import { DuckDBEngine } from '../../engine/duckdb.js';
import { UsageError } from '../../errors.js';
import { formatCount } from '../../format/table.js';
import { jsonOption, ledgerOptions, openLedger, print, progress, type LedgerOptions } from '../common.js';

interface LoadOptions extends LedgerOptions {
  calls?: string;
  outcomes?: string;
  shape?: string;
}

const shapeChoices: readonly string[] = ['auto', ...recordShapes];

export function registerLoad(program: Command): void {
  jsonOption(ledgerOptions(program.command('load')))
    .description('validate, price and land call records (and outcomes) from NDJSON, CSV or Parquet files')
    .option('--calls <file>', 'call records: .ndjson/.jsonl, .csv or .parquet')
    .option('--outcomes <file>', 'outcome records, same formats')
    .option('--shape <shape>', `the shape of the call records: ${shapeChoices.join('|')} (OpenTelemetry GenAI spans, LiteLLM spend logs)`, 'auto')
    .action(async (options: LoadOptions) => {
      if (!options.calls && !options.outcomes) throw new UsageError('load needs --calls FILE, --outcomes FILE, or both');
      if (!shapeChoices.includes(options.shape ?? 'auto')) {
        throw new UsageError(`--shape ${options.shape} is not one of ${shapeChoices.join(', ')}`);
      }
      const { engine, config } = await openLedger(options);
      try {
        if (!(engine instanceof DuckDBEngine)) {
          throw new UsageError('load reads files with the embedded engine: unset FINOPS_ENGINE (BigQuery takes records through the ingest function)');
        }
        const negotiated = config.pricing.negotiated_prices ? readNegotiatedPrices(config.pricing.negotiated_prices) : [];
        const results: LoadResult[] = [];
        for (const [kind, path] of [['calls', options.calls], ['outcomes', options.outcomes]] as const) {
          if (!path) continue;
          if (!options.json) progress(`Loading ${kind} from ${path} …`);
          const shape = kind === 'calls' ? (options.shape as ShapeChoice) : 'native';
          results.push(await loadFile(engine, kind, path, { negotiated, shape, shapeAttributes: config.shapes }));
        }
        print({ loads: results }, options.json, () => results.map(renderLoad).join('\n\n'));
      } finally {
        await engine.close();
      }
    });
}

export function renderLoad(result: LoadResult): string {
  const lines = [
    `${result.source}${result.shape === 'native' ? '' : ` (${result.shape})`}: ${formatCount(result.loaded)} ${result.kind} loaded, ${formatCount(result.duplicates)} duplicates skipped, ` +
      `${formatCount(result.rejected)} rejected (of ${formatCount(result.rows_read)} read)` +
      (result.first_day ? `, ${result.first_day} to ${result.last_day}` : ''),
  ];
  for (const r of result.rejections) lines.push(`  line ${r.line}: ${r.field} ${r.reason}`);
  if (result.rejected > result.rejections.length) {
    lines.push(`  … and ${formatCount(result.rejected - result.rejections.length)} more, all kept in the quarantine table (load_id ${result.load_id})`);
  } else if (result.rejected > 0) {
    lines.push(`  rejected records are kept in the quarantine table (load_id ${result.load_id})`);
  }
  for (const m of result.unpriced_models) {
    lines.push(`  unpriced: ${formatCount(m.calls)} calls on ${m.provider ? m.provider + '/' : ''}${m.model}: no price list knows it; add it to the negotiated price file`);
  }
  return lines.join('\n');
}
