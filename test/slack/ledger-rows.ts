import type { Row } from '../../functions/engine/engine.js';

/** A row of the `forecasts` table (sql/schema/forecasts.json) for a test to insert: the total's, by default. */
export function forecastRow(over: Record<string, string | number | boolean | null>): Row {
  return {
    run_date: '2026-11-23',
    scope: 'total',
    scope_value: null,
    target_month: '2026-11-01',
    horizon_months: 0,
    method: 'ETS(A,N,N)',
    history_days: 90,
    data_weight: 1,
    actual_to_date_usd: '0',
    mean_usd: '100',
    lo80_usd: '90',
    hi80_usd: '110',
    lo95_usd: '80',
    hi95_usd: '120',
    fitted_at: '2026-11-23T05:00:00Z',
    actual_usd: null,
    error_usd: null,
    in80: null,
    in95: null,
    scored_at: null,
    ...over,
  };
}

/** A row of the `advice` table (sql/schema/advice.json) for a test to insert. */
export function adviceRow(over: Record<string, string | number | null>): Row {
  return {
    run_date: '2026-11-01',
    key: 'commit:-:openai',
    advisor: 'commit',
    feature: null,
    subject: 'openai',
    summary: 'Commit to a year of openai spend.',
    saving_usd_month: '100',
    inputs: '{}',
    created_at: '2026-11-01T08:00:00Z',
    ...over,
  };
}
