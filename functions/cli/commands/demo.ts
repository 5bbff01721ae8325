import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DuckDBEngine } from '../../engine/duckdb.js';
import { UsageError } from '../../errors.js';
import { writeWorkload } from '../../demo/workload.js';
import { loadFile, type LoadResult } from '../../ledger/load.js';
import type { JobResult } from '../../jobs/context.js';
import { jobs, allJobs } from '../../jobs/registry.js';
import { runDigest } from '../../jobs/digest.js';
import { renderJobMessages } from '../../jobs/job-messages-text.js';
import { slacklessDelivery } from '../../slack/delivery-settings.js';
import { costPerOutcomeReport, renderCostPerOutcome, unitNamesFrom } from '../../reports/cost-per-outcome.js';
import { writeDashboard } from '../../dashboard/write-dashboard.js';
import { addDays } from '../../time/days.js';
import { loadFinopsConfig, resolveConfigPath } from '../../config/finops-config.js';
import { packageRoot } from '../../paths.js';
import { asOfDay, print, progress } from '../common.js';
import { renderLoad } from './load.js';

interface DemoOptions {
  db: string;
  days: string;
  seed: string;
  asOf?: string;
  out: string;
  config?: string;
  json?: boolean;
}

/** The demo's own ledger, so that it never mixes synthetic calls into a real one. */
export const demoDb = './ai-finops-demo.duckdb';
const exampleConfig = join(packageRoot, 'finops.config.example.yaml');

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('write a synthetic workload with seeded problems, load it, run every job, and show the result')
    .option('--db <path>', 'the demo ledger (made anew each time)', demoDb)
    .option('--days <n>', 'days of history', '90')
    .option('--seed <n>', 'random seed: the same seed makes the same workload', '7')
    .option('--as-of <day>', 'the day the demo runs on (default: today, UTC)')
    .option('--out <dir>', 'where the workload files are written', './out/demo')
    .option('--config <file>', 'feature config (default: FINOPS_CONFIG, else ./finops.config.yaml)')
    .option('--json', 'print one JSON object')
    .action(async (options: DemoOptions) => {
      const days = wholeNumber(options.days, '--days', 7, 3650);
      const seed = wholeNumber(options.seed, '--seed', 0, 2 ** 31 - 1);
      const asOf = asOfDay(options.asOf);
      await freshDemoLedger(options.db);
      // without a config of its own, the demo uses the example config, written for the demo's features
      const config = await loadFinopsConfig(resolveConfigPath(options.config, process.env, process.cwd()) ?? exampleConfig);
      const engine = await DuckDBEngine.open(options.db);
      const say = options.json ? () => {} : progress;
      try {
        await engine.ensureTables();
        mkdirSync(options.out, { recursive: true });
        say(`Writing ${days} days of synthetic calls (seed ${seed}) to ${options.out} …`);
        const files = await writeWorkload(engine, { dir: options.out, days, endDate: asOf, seed, scale: 1, format: 'ndjson' });
        const loads: LoadResult[] = [];
        for (const [kind, path] of [['calls', files.callsFile], ['outcomes', files.outcomesFile]] as const) {
          say(`Loading ${path} …`);
          loads.push(await loadFile(engine, kind, path));
        }
        const results: JobResult[] = [];
        for (const name of allJobs) {
          say(`Running ${name} …`);
          results.push(await jobs[name]!.run({ engine, config, asOf, now: () => new Date() }));
        }
        const month = addDays(asOf, -1).slice(0, 7);
        const report = await costPerOutcomeReport(engine, month);
        say('Writing the dashboard …');
        const dashboard = join(options.out, `dashboard-${month}.html`);
        await writeDashboard(engine, config, month, dashboard, new Date(asOf + 'T00:00:00Z'));
        say('Building the weekly digest …');
        // never posts, even with SLACK_BOT_TOKEN set in the shell: the payload goes under --out
        const digest = await runDigest({ engine, config, asOf, now: () => new Date(), delivery: slacklessDelivery(options.out) });
        print({ db: options.db, as_of: asOf, loads, jobs: results, cost_per_outcome: { month, rows: report }, dashboard, digest }, options.json, () =>
          [
            ...loads.map(renderLoad),
            ...results.map((r) => jobs[r.job]!.render(r as never)),
            renderCostPerOutcome(report, month, unitNamesFrom(config)),
            `The month's dashboard, one HTML file to open in a browser: ${dashboard}`,
            `The demo ledger is ${options.db}. Try:\n` +
              `  npx ai-finops report cost-per-outcome --db ${options.db} --month ${month} --format json\n` +
              `  npx ai-finops findings --db ${options.db} --status open\n` +
              `  npx ai-finops run anomaly-scan --db ${options.db} --as-of ${addDays(asOf, -2)} --json\n` +
              `  npx ai-finops run month-end --db ${options.db} --as-of ${asOf.slice(0, 8)}01 --out ${options.out}`,
            renderJobMessages(digest),
          ].join('\n\n'),
        );
      } finally {
        await engine.close();
      }
    });
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} "${text}" must be a whole number from ${min} to ${max}`);
  return n;
}

/**
 * The demo starts from an empty ledger every time. It deletes an existing file only when everything ever loaded
 * into it came from the demo, so pointing --db at a real ledger by mistake loses nothing.
 */
async function freshDemoLedger(path: string): Promise<void> {
  if (!existsSync(path)) return;
  const engine = await DuckDBEngine.open(path);
  try {
    await engine.ensureTables();
    const [foreign] = await engine.exec(`select count(*) as n from loads where source not in ('llm_calls.ndjson', 'outcomes.ndjson')`);
    if (Number(foreign!.n) > 0) {
      throw new UsageError(`${path} holds data the demo did not write: pass the demo another --db`);
    }
  } finally {
    await engine.close();
  }
  rmSync(path);
  rmSync(path + '.wal', { force: true });
}
