import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { toCsv } from '../../format/csv.js';
import { forecastAccuracyReport, renderForecastAccuracy } from '../../reports/forecast-accuracy.js';
import { parseDay } from '../../time/days.js';
import { ledgerOptions, openLedger, outputFormat, reportOutputOptions, type LedgerOptions } from '../common.js';

interface AccuracyOptions extends LedgerOptions {
  from?: string;
  to?: string;
  format?: string;
  output?: string;
}

/** `ai-finops report forecast-accuracy`: registered on the `report` command. */
export function registerForecastAccuracyReport(report: Command): void {
  reportOutputOptions(ledgerOptions(report.command('forecast-accuracy')))
    .description('running coverage and error of the month-end forecasts, by horizon, once their months close')
    .option('--from <YYYY-MM-DD>', 'only target months from this day on')
    .option('--to <YYYY-MM-DD>', 'only target months before this day')
    .action(async (options: AccuracyOptions) => {
      const format = outputFormat(options.format, options.json, ['table', 'csv', 'json']);
      const range = {
        ...(options.from ? { from: parseDay(options.from, '--from') } : {}),
        ...(options.to ? { to: parseDay(options.to, '--to') } : {}),
      };
      const { engine } = await openLedger(options);
      try {
        const rows = await forecastAccuracyReport(engine, range);
        const text =
          format === 'json'
            ? JSON.stringify({ rows }, null, 2) + '\n'
            : format === 'csv'
              ? toCsv(rows as unknown as Record<string, unknown>[], Object.keys(rows[0] ?? { scope: null }))
              : renderForecastAccuracy(rows) + '\n';
        if (options.output) await writeFile(options.output, text);
        else process.stdout.write(text);
      } finally {
        await engine.close();
      }
    });
}
