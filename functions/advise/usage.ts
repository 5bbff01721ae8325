import type { CallSums } from '../detect/ledger-reads.js';
import { addDays } from '../time/days.js';
import type { AdviseContext } from './advisor.js';

/**
 * The advisors' shared grain, typed: calls, spend and tokens per day, feature, provider and model
 * (sql/advise/usage_by_day_feature_and_model.sql, from the calls_by_day rollup), read once per run over the
 * longest history an advisor needs. Spend arrives as exact decimal text and is kept as a number here: the
 * advisors estimate from it, they do not bill.
 */

export interface UsageDayRow
  extends Pick<CallSums, 'calls' | 'requests' | 'spend_usd' | 'input_tokens' | 'cached_input_tokens' | 'cache_write_input_tokens' | 'output_tokens'> {
  day: string;
  feature: string | null;
  provider: string | null;
  model: string;
}

/** Days of history read: a year and a month, as the forecast job reads (enough for a year of monthly totals). */
export const usageHistoryDays = 400;

/** Days that make the recent window (a feature's current model, token mix and run rate): the detectors' 28. */
export { recentDays } from '../detect/premium-model.js';

const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/** The usage rows of the `usageHistoryDays` days before the as-of day, oldest first. */
export function usageRows(context: AdviseContext): Promise<UsageDayRow[]> {
  return context.reader.derived('usageRows', async () => {
    const rows = await context.reader.rows('advise/usage_by_day_feature_and_model.sql', {
      from: addDays(context.asOf, -usageHistoryDays),
      to: context.asOf,
    });
    return rows.map((r) => ({
      day: String(r.day),
      feature: r.feature === null ? null : String(r.feature),
      provider: r.provider === null ? null : String(r.provider),
      model: String(r.model),
      calls: num(r.calls),
      requests: num(r.requests),
      spend_usd: num(r.spend_usd),
      input_tokens: num(r.input_tokens),
      cached_input_tokens: num(r.cached_input_tokens),
      cache_write_input_tokens: num(r.cache_write_input_tokens),
      output_tokens: num(r.output_tokens),
    }));
  });
}
