import { Command, CommanderError } from 'commander';
import { FinopsError, UsageError } from '../errors.js';
import { registerAdvise } from './commands/advise.js';
import { registerDemo } from './commands/demo.js';
import { registerEstimate } from './commands/estimate.js';
import { registerFindings } from './commands/findings.js';
import { registerForecast } from './commands/forecast.js';
import { registerLoad } from './commands/load.js';
import { registerReconcile } from './commands/reconcile.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerSchedules } from './commands/schedules.js';
import { registerTrigger } from './commands/trigger.js';

/**
 * The `ai-finops` command. Exit codes (CONTRACT.md): 0 done (rejected rows are reported, not failures), 1 failed,
 * 2 bad usage. Only this file catches errors, prints them and picks the code.
 */
export function buildProgram(): Command {
  const program = new Command('ai-finops')
    .description('Make AI spend governable: cost per outcome, forecasts and findings from a ledger of model calls.')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  registerLoad(program);
  registerRun(program);
  registerReport(program);
  registerFindings(program);
  registerReconcile(program);
  registerForecast(program);
  registerDemo(program);
  registerAdvise(program);
  registerTrigger(program);
  registerSchedules(program);
  registerEstimate(program);
  return program;
}

export async function runCli(argv: string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0
      return error.exitCode === 0 ? 0 : 2;
    }
    const usage = error instanceof UsageError;
    const label = error instanceof FinopsError ? '' : ' (unexpected)';
    process.stderr.write(`ai-finops: ${(error as Error).message}${label}\n`);
    if (!(error instanceof FinopsError) && (error as Error).stack) process.stderr.write((error as Error).stack + '\n');
    return usage ? 2 : 1;
  }
}
