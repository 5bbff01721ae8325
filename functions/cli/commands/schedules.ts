import type { Command } from 'commander';
import { parseSettings } from '../../config/settings.js';
import { renderTable } from '../../format/table.js';
import { schedulerFromSettings } from '../../scheduler/client.js';
import { compareSchedules, type ScheduleRow } from '../../scheduler/compare.js';
import { declaredJobs } from '../../scheduler/declared-jobs.js';
import { listDeployedJobs } from '../../scheduler/deployed-jobs.js';
import { jsonOption, print } from '../common.js';

/**
 * `ai-finops schedules`: the deployed Cloud Scheduler jobs (FINOPS_BQ_PROJECT, FINOPS_REGION) beside what
 * terraform/jobs.json declares, flagging any whose schedule, target or state differs, and any declared job that is
 * missing. With --json: `{"schedules": [...], "differences": N}`. Differences are reported, not failures: exit 0.
 */
export function registerSchedules(program: Command): void {
  jsonOption(program.command('schedules'))
    .description('list the deployed scheduled jobs and flag any that differ from terraform/jobs.json')
    .action(async (options: { json?: boolean }) => {
      const scheduler = await schedulerFromSettings(parseSettings());
      const rows = compareSchedules(declaredJobs(), await listDeployedJobs(scheduler));
      const differing = rows.filter((row) => row.differences.length > 0).length;
      print({ schedules: rows.map(toJson), differences: differing }, options.json, () => renderSchedules(rows, scheduler.parent));
    });
}

function toJson(row: ScheduleRow) {
  const job = row.deployed;
  return {
    job: row.job,
    scheduler_job: row.id,
    schedule: job?.schedule ?? null,
    time_zone: job?.timeZone ?? null,
    state: job?.state ?? null,
    uri: job?.uri ?? null,
    last_attempt_at: job?.lastAttemptAt ?? null,
    last_attempt_status: job?.lastAttemptStatus ?? null,
    next_run_at: job?.nextRunAt ?? null,
    differences: row.differences,
  };
}

function renderSchedules(rows: ScheduleRow[], parent: string): string {
  const dash = '–';
  const minute = (iso: string | null) => (iso === null ? dash : iso.slice(0, 16).replace('T', ' ') + 'Z');
  const table = renderTable<ScheduleRow>(
    [
      { header: 'job', value: (r) => r.job ?? r.id },
      { header: 'schedule', value: (r) => r.deployed?.schedule ?? dash },
      { header: 'time zone', value: (r) => r.deployed?.timeZone ?? dash },
      { header: 'state', value: (r) => r.deployed?.state ?? 'MISSING' },
      { header: 'last attempt', value: (r) => (r.deployed?.lastAttemptAt ? `${minute(r.deployed.lastAttemptAt)} ${r.deployed.lastAttemptStatus}` : dash) },
      { header: 'next run', value: (r) => minute(r.deployed?.nextRunAt ?? null) },
      { header: 'differs from terraform/jobs.json', value: (r) => (r.differences.length === 0 ? 'no' : r.differences.map((d) => d.split(':')[0]).join(', ')) },
    ],
    rows,
    { title: `Scheduled jobs in ${parent}` },
  );
  const details = rows.flatMap((r) => r.differences.map((d) => `  ${r.job ?? r.id}: ${d}`));
  return details.length === 0 ? `${table}\n\nEvery job matches terraform/jobs.json.` : `${table}\n\n${details.join('\n')}`;
}
