import type { Command } from 'commander';
import { parseSettings } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { schedulerFromSettings } from '../../scheduler/client.js';
import { declaredJobs } from '../../scheduler/declared-jobs.js';
import { runDeployedJob } from '../../scheduler/deployed-jobs.js';
import { jsonOption, print } from '../common.js';

/**
 * `ai-finops trigger JOB`: runs a deployed job now through Cloud Scheduler (jobs.run), the way its schedule would:
 * the same function, the same service account, the same retries, as of today, e.g. to retry a run that failed;
 * it posts only what was not sent yet (re-posting on purpose is `run JOB --force`). With --json: `{"job", "scheduler_job", "function", "state", ...}`.
 */
export function registerTrigger(program: Command): void {
  jsonOption(program.command('trigger'))
    .description('run a deployed scheduled job now through Cloud Scheduler (FINOPS_BQ_PROJECT, FINOPS_REGION)')
    .argument('<job>', 'the job as the CLI names it, e.g. month-end (see terraform/jobs.json)')
    .action(async (name: string, options: { json?: boolean }) => {
      const declaration = declaredJobs();
      const names = declaration.jobs.map((job) => job.name);
      const declared = declaration.jobs.find((job) => job.name === name);
      if (!declared) throw new UsageError(`there is no scheduled job "${name}": the scheduled jobs are ${names.join(', ')}`);
      const scheduler = await schedulerFromSettings(parseSettings());
      const job = await runDeployedJob(scheduler, declared.resourceId);
      const result = {
        job: name,
        scheduler_job: job.name,
        function: declared.function,
        state: job.state,
        last_attempt_at: job.lastAttemptAt,
        next_run_at: job.nextRunAt,
      };
      print(result, options.json, () =>
        [
          `Triggered ${name}: Cloud Scheduler runs ${job.id} now, which calls the function ${declared.function} as of today (UTC).`,
          `Follow it in Cloud Logging (jsonPayload.job="${name}") or with: ai-finops schedules`,
        ].join('\n'),
      );
    });
}
