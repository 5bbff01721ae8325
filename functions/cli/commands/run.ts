import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { allJobs, jobs } from '../../jobs/registry.js';
import type { JobResult } from '../../jobs/context.js';
import { defaultOutDir, deliverySettings } from '../../slack/delivery-settings.js';
import { asOfDay, jsonOption, ledgerOptions, openLedger, print, type LedgerOptions } from '../common.js';

interface RunOptions extends LedgerOptions {
  asOf?: string;
  out: string;
  force?: boolean;
}

export function registerRun(program: Command): void {
  jsonOption(ledgerOptions(program.command('run')))
    .description(`run a job: ${[...Object.keys(jobs), 'all'].join(', ')}`)
    .argument('<job>', 'the job to run')
    .option('--as-of <day>', 'run as if on the morning of this UTC day (YYYY-MM-DD), over the days before it')
    .option('--out <dir>', 'without SLACK_BOT_TOKEN, where Slack messages are written instead of posted', defaultOutDir)
    .option('--force', 'post Slack messages again even if they were already sent (a new post), and re-queue those Slack refused')
    .action(async (name: string, options: RunOptions) => {
      const names = name === 'all' ? allJobs : [name];
      for (const n of names) {
        if (!jobs[n]) throw new UsageError(`there is no job "${n}": the jobs are ${[...Object.keys(jobs), 'all'].join(', ')}`);
      }
      const asOf = asOfDay(options.asOf);
      const ledger = await openLedger(options);
      try {
        const results: JobResult[] = [];
        const delivery = deliverySettings(ledger.settings, { out: options.out, force: options.force });
        for (const n of names) {
          results.push(await jobs[n]!.run({ engine: ledger.engine, config: ledger.config, asOf, now: () => new Date(), delivery }));
        }
        const output = name === 'all' ? { job: 'all', as_of: asOf, findings: results.flatMap((r) => r.findings), jobs: results } : results[0];
        print(output, options.json, () => results.map((r) => jobs[r.job]!.render(r as never)).join('\n\n'));
      } finally {
        await ledger.engine.close();
      }
    });
}
