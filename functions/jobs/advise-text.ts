import { formatUsd } from '../money.js';
import { renderTable } from '../format/table.js';
import type { AdviceRow } from '../advise/advice.js';
import type { AdviseResult } from './advise.js';

/** The advise run as a person reads it: one line per piece of advice, with its monthly saving and its sentence. */
export function renderAdvise(result: AdviseResult): string {
  const title = `Advice as of ${result.as_of}`;
  if (result.advice.length === 0) return `${title}\n\nNo advice: nothing in the ledger calls for a change yet.`;
  return renderTable<AdviceRow>(
    [
      { header: 'advisor', value: (a) => a.advisor.replace('_', '-') },
      { header: 'feature', value: (a) => a.feature ?? '–' },
      { header: 'saving/month', align: 'right', value: (a) => formatUsd(a.saving_usd_month) },
      { header: 'advice', value: (a) => a.summary },
    ],
    result.advice,
    { title },
  );
}
