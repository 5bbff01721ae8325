import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { toCsv } from '../../format/csv.js';
import { chargebackOwners, chargebackRecords, chargebackReport, parseChargebackBy, renderChargeback } from '../../reports/chargeback.js';
import { focusCsv, focusReport } from '../../reports/focus.js';
import { dayOf, monthRange } from '../../time/days.js';
import { ledgerOptions, openLedger, outputFormat, reportOutputOptions, type LedgerOptions } from '../common.js';

interface ChargebackOptions extends LedgerOptions {
  month?: string;
  by: string;
  format?: string;
  output?: string;
}

/** `ai-finops report chargeback`: registered on the `report` command. */
export function registerChargebackReport(report: Command): void {
  reportOutputOptions(ledgerOptions(report.command('chargeback')))
    .description(
      'the monthly bill per segment, feature or customer, reconciled to the cent with the ledger; ' +
        '--format focus writes it as a FOCUS 1.2 cost and usage CSV',
    )
    .option('--month <YYYY-MM>', 'the month (default: the current UTC month)')
    .option('--by <owner>', `who is billed: ${chargebackOwners.join(', ')}`, 'segment')
    .action(async (options: ChargebackOptions) => {
      const format = outputFormat(options.format, options.json, ['table', 'csv', 'json', 'focus']);
      const by = parseChargebackBy(options.by);
      const month = options.month ?? dayOf(new Date()).slice(0, 7);
      monthRange(month); // validates before the ledger is opened
      const { engine, config } = await openLedger(options);
      try {
        let text: string;
        if (format === 'focus') {
          text = focusCsv(await focusReport(engine, config, month));
        } else {
          const bill = await chargebackReport(engine, month, by);
          const records = chargebackRecords(bill);
          text =
            format === 'json'
              ? JSON.stringify({ month, by, rows: records, total: bill.total }, null, 2) + '\n'
              : format === 'csv'
                ? toCsv(records, [by, ...Object.keys(bill.total)])
                : renderChargeback(bill) + '\n';
        }
        if (options.output) await writeFile(options.output, text);
        else process.stdout.write(text);
      } finally {
        await engine.close();
      }
    });
}
