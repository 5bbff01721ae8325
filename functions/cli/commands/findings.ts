import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { findingStatuses, type FindingStatus } from '../../findings/finding.js';
import { renderFindings } from '../../findings/render.js';
import { ackFinding, listFindings } from '../../findings/store.js';
import { dayOf, parseDay } from '../../time/days.js';
import { jsonOption, ledgerOptions, openLedger, print, type LedgerOptions } from '../common.js';

interface ListOptions extends LedgerOptions {
  status?: string;
}

interface AckOptions extends LedgerOptions {
  until?: string;
}

/**
 * `ai-finops findings [--status open]` lists the stored findings, ranked; `ai-finops findings ack KEY [--until DATE]`
 * snoozes one (CONTRACT.md). With --json: `{"findings": [...]}` and `{"finding": {...}}`.
 */
export function registerFindings(program: Command): void {
  const findings = jsonOption(ledgerOptions(program.command('findings')))
    .description('list the findings the detector jobs stored, ranked by monthly impact; `findings ack KEY` snoozes one')
    .option('--status <status>', `only findings with this status: ${findingStatuses.join(', ')} (default: all)`)
    .action(async (options: ListOptions) => {
      const status = parseStatus(options.status);
      const ledger = await openLedger(options);
      try {
        const rows = await listFindings(ledger.engine, status);
        print({ findings: rows }, options.json, () =>
          renderFindings(rows, {
            title: status ? `Findings (${status})` : 'Findings',
            keys: true,
            none: status ? `No ${status} findings.` : 'No findings yet: run ai-finops run detect.',
          }) + (rows.length > 0 ? '\n\nSnooze one with: ai-finops findings ack KEY --until YYYY-MM-DD' : ''),
        );
      } finally {
        await ledger.engine.close();
      }
    });

  findings
    .command('ack')
    .description('snooze a finding: acked until the day given (inclusive), or without --until until it resolves (takes --db, --config, --json)')
    .argument('<key>', 'the finding key, as `ai-finops findings` lists it')
    .option('--until <day>', 'snooze until this day (YYYY-MM-DD), inclusive')
    // --db, --config and --json are the findings command's own, wherever they are written
    .action(async (key: string, _options: AckOptions, command: Command) => {
      const options = command.optsWithGlobals<AckOptions>();
      const until = options.until === undefined ? null : parseDay(options.until, '--until');
      const now = new Date();
      if (until !== null && until < dayOf(now)) throw new UsageError(`--until ${until} is in the past: give a day from today on`);
      const ledger = await openLedger(options);
      try {
        const finding = await ackFinding(ledger.engine, key, until, { asOf: dayOf(now), now });
        print({ finding }, options.json, () => `Acked ${finding.key} ${until ? `until ${until} (inclusive)` : 'until it resolves'}: ${finding.summary}`);
      } finally {
        await ledger.engine.close();
      }
    });
}

function parseStatus(status: string | undefined): FindingStatus | undefined {
  if (status === undefined || status === 'all') return undefined;
  if (!(findingStatuses as readonly string[]).includes(status)) {
    throw new UsageError(`--status ${status} is not one of ${findingStatuses.join(', ')} (or all)`);
  }
  return status as FindingStatus;
}
