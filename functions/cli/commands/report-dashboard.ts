import type { Command } from 'commander';
import { writeDashboard } from '../../dashboard/write-dashboard.js';
import { UsageError } from '../../errors.js';
import { dayOf, monthRange } from '../../time/days.js';
import { jsonOption, ledgerOptions, openLedger, print, type LedgerOptions } from '../common.js';

interface DashboardOptions extends LedgerOptions {
  month?: string;
  output?: string;
}

/** `ai-finops report dashboard`: registered on the `report` command. */
export function registerDashboardReport(report: Command): void {
  jsonOption(ledgerOptions(report.command('dashboard')))
    .description('the month as one self-contained HTML file: cost per outcome, spend per day, forecast, findings, chargeback and advice')
    .option('--month <YYYY-MM>', 'the month (default: the current UTC month)')
    .option('--output <file>', 'the HTML file to write, e.g. dashboard.html')
    .action(async (options: DashboardOptions) => {
      if (!options.output) throw new UsageError('--output FILE.html is required: the dashboard is a file to open in a browser');
      const month = options.month ?? dayOf(new Date()).slice(0, 7);
      monthRange(month); // validates before the ledger is opened
      const { engine, config } = await openLedger(options);
      try {
        const html = await writeDashboard(engine, config, month, options.output, new Date());
        print({ month, output: options.output, bytes: Buffer.byteLength(html) }, options.json, () => `Wrote the ${month} dashboard to ${options.output}; open it in a browser.`);
      } finally {
        await engine.close();
      }
    });
}
