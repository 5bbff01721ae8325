import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { readInvoiceCsv } from '../../reconcile/invoice-csv.js';
import { runReconcile } from '../../reconcile/reconcile.js';
import { renderReconcile } from '../../reconcile/render.js';
import { asOfDay, jsonOption, ledgerOptions, openLedger, print, type LedgerOptions } from '../common.js';

interface ReconcileOptions extends LedgerOptions {
  invoice: string;
  provider?: string;
  asOf?: string;
}

/** `ai-finops reconcile --invoice FILE [--provider NAME]`: a provider's invoice against the ledger, per month, provider and model. */
export function registerReconcile(program: Command): void {
  jsonOption(ledgerOptions(program.command('reconcile')))
    .description('compare a provider invoice or usage export (CSV: month, model, tokens and/or cost_usd) with the ledger')
    .requiredOption('--invoice <file>', 'the CSV: month,model and tokens, input_tokens/output_tokens or cost_usd (optional provider)')
    .option('--provider <name>', 'the provider that issued the invoice (as the ledger names it, e.g. openai), for lines with no provider')
    .option('--as-of <day>', 'record findings as if on the morning of this UTC day (YYYY-MM-DD)')
    .action(async (options: ReconcileOptions) => {
      const asOf = asOfDay(options.asOf);
      let text: string;
      try {
        text = await readFile(options.invoice, 'utf8');
      } catch (cause) {
        throw new UsageError(`cannot read --invoice ${options.invoice}: give the path of the provider's CSV export`, { cause });
      }
      const invoice = readInvoiceCsv(text, basename(options.invoice), options.provider ?? null);
      const ledger = await openLedger(options);
      try {
        const result = await runReconcile(
          { engine: ledger.engine, config: ledger.config, asOf, now: () => new Date() },
          invoice,
          basename(options.invoice),
        );
        print(result, options.json, () => renderReconcile(result));
      } finally {
        await ledger.engine.close();
      }
    });
}
