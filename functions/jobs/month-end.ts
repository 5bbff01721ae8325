import { dashboardInput } from '../dashboard/dashboard-input.js';
import { renderDashboard } from '../dashboard/page.js';
import { monthEndInput } from '../slack/month-end-input.js';
import { buildMonthEnd } from '../slack/month-end.js';
import { runAdvise, type AdviseResult } from './advise.js';
import type { JobContext, JobResult } from './context.js';
import { deliverJobMessages, type JobMessages } from './job-messages.js';

/**
 * The month-end run (CONTRACT.md: `ai-finops run month-end`, the 1st of the month 08:00): first the advise job, so
 * the report carries this run's advice, then the month-end forecast report (functions/slack/month-end.ts: last
 * month's actual against its forecast, the forecasts ahead, the advice, and the fan chart uploaded in its thread, with
 * the closed month's dashboard as one HTML file beside it), delivered once per closed month under the key
 * `month-end:YYYY-MM`.
 */
export interface MonthEndResult extends JobResult, JobMessages {
  job: 'month-end';
  findings: [];
  /** The closed month reported, `YYYY-MM`. */
  month: string;
  /** The advise run that came first. */
  advise: AdviseResult;
}

export async function runMonthEnd(context: JobContext): Promise<MonthEndResult> {
  const advise = await runAdvise(context);
  const input = await monthEndInput(context);
  const report = await buildMonthEnd(input);
  report.files = [...(report.files ?? []), await dashboardFile(context, input.closedMonth)];
  const delivered = await deliverJobMessages(context, { kinds: ['month-end'], messages: [report] });
  return { job: 'month-end', as_of: context.asOf, findings: [], month: input.closedMonth, advise, ...delivered };
}

/** The closed month's dashboard (`ai-finops report dashboard`), read as of the run's day, as a file for the thread. */
async function dashboardFile(context: JobContext, month: string) {
  const now = new Date(context.asOf + 'T00:00:00Z');
  const html = await renderDashboard(await dashboardInput(context.engine, context.config, month, now));
  return {
    filename: `ai-spend-${month}.html`,
    title: `AI spend dashboard, ${month}`,
    content: new TextEncoder().encode(html),
    altText: `The ${month} dashboard: cost per outcome, spend by feature, the forecast, findings, chargeback and advice.`,
  };
}
