import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { toCsv } from '../../format/csv.js';
import { costPerOutcomeReport, renderCostPerOutcome, unitNamesFrom } from '../../reports/cost-per-outcome.js';
import { dayOf, monthRange } from '../../time/days.js';
import { ledgerOptions, openLedger, outputFormat, reportOutputOptions, type LedgerOptions } from '../common.js';
import { registerChargebackReport } from './report-chargeback.js';
import { registerDashboardReport } from './report-dashboard.js';
import { registerForecastAccuracyReport } from './report-forecast-accuracy.js';

interface ReportOptions extends LedgerOptions {
  month?: string;
  format?: string;
  output?: string;
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('reports over the rollups');
  registerForecastAccuracyReport(report);
  registerChargebackReport(report);
  registerDashboardReport(report);
  reportOutputOptions(ledgerOptions(report.command('cost-per-outcome')))
    .description('the monthly dashboard: one row per feature with spend, calls, outcomes, cost per outcome and trend')
    .option('--month <YYYY-MM>', 'the month (default: the current UTC month)')
    .action(async (options: ReportOptions) => {
      const format = outputFormat(options.format, options.json, ['table', 'csv', 'json']);
      const month = options.month ?? dayOf(new Date()).slice(0, 7);
      monthRange(month); // validates before the ledger is opened
      const { engine, config } = await openLedger(options);
      try {
        const rows = await costPerOutcomeReport(engine, month);
        const text =
          format === 'json'
            ? JSON.stringify({ month, rows }, null, 2) + '\n'
            : format === 'csv'
              ? toCsv(rows as unknown as Record<string, unknown>[], Object.keys(rows[0] ?? { feature: null }))
              : renderCostPerOutcome(rows, month, unitNamesFrom(config)) + '\n';
        if (options.output) await writeFile(options.output, text);
        else process.stdout.write(text);
      } finally {
        await engine.close();
      }
    });
}
