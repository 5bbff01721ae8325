import { renderAdvise } from './advise-text.js';
import { renderJobMessages } from './job-messages-text.js';
import type { MonthEndResult } from './month-end.js';

/** The month-end run, as a person reads it: the advice it wrote, then the report as Slack shows it and where it went. */
export function renderMonthEnd(result: MonthEndResult): string {
  return `${renderAdvise(result.advise)}\n\n${renderJobMessages(result)}`;
}
