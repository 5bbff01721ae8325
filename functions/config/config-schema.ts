import { z } from 'zod';

/**
 * The schema of `finops.config.yaml`, declared once: each key with its type, its default and the sentence a
 * person reads when it is wrong. Keys stay snake_case from the YAML through to the code, so `retry_cap` is one
 * name everywhere: in the file, in error messages, in the code that reads it and in grep.
 *
 * Every object is strict: an unknown key is an error (a typo like `retry_cpa` must not silently drop a setting).
 * Every message ends with a working example, because "invalid input" tells nobody what to type.
 * `finops.config.example.yaml` documents the same keys for people; keep the two in step.
 */

/**
 * Keys whose numbers are money. The loader hands these to the schema as the text written in the file, so
 * `0.10` stays "0.10" and no amount ever passes through a float (money reconciles to the cent, see CONTRACT.md).
 */
export const moneyKeys: ReadonlySet<string> = new Set([
  'budget_per_unit_usd',
  'value_per_unit_usd',
  'monthly_budget_usd',
  'min_impact_usd_day',
  'page_impact_usd_day',
  'warn_saving_usd_month',
  'warn_impact_usd_month',
  'training_usd',
  'labor_usd',
  'on_demand_usd_per_tib',
]);

/**
 * A US dollar amount as exact decimal text: no sign, no exponent, at most 9 decimals and 29 whole digits, so it fits
 * the ledger's DECIMAL(38,9) and functions/money.ts reads it.
 */
const DECIMAL_USD = /^\d{1,29}(\.\d{1,9})?$/;

function money(example: string) {
  const hint = `must be an amount in US dollars, 0 or more with at most 9 decimals, e.g. ${example}`;
  return z.union([z.string(), z.number()], { error: hint }).transform((value, ctx) => {
    const text = typeof value === 'number' ? String(value) : value.trim();
    if (DECIMAL_USD.test(text)) return text;
    ctx.addIssue({ code: 'custom', message: hint });
    return z.NEVER;
  });
}

function wholeNumber(min: number, example: string) {
  const hint = `must be a whole number >= ${min}, e.g. ${example}`;
  return z.number({ error: hint }).int({ error: hint }).min(min, { error: hint });
}

function fraction(example: string, { below1 = false } = {}) {
  const hint = `must be a number from 0 to ${below1 ? 'below ' : ''}1, e.g. ${example}`;
  const atLeast0 = z.number({ error: hint }).min(0, { error: hint });
  return below1 ? atLeast0.lt(1, { error: hint }) : atLeast0.max(1, { error: hint });
}

function positive(example: string) {
  const hint = `must be a number above 0, e.g. ${example}`;
  return z.number({ error: hint }).positive({ error: hint });
}

function atLeast(min: number, example: string) {
  const hint = `must be a number >= ${min}, e.g. ${example}`;
  return z.number({ error: hint }).min(min, { error: hint });
}

function text(example: string) {
  const hint = `must be non-empty text, e.g. ${example}`;
  return z.string({ error: hint }).trim().min(1, { error: hint });
}

function models(example: string) {
  const hint = `must be a list of model names, e.g. ${example}`;
  return z.array(text(example), { error: hint });
}

function attributeNames(example: string) {
  const hint = `must be a list of attribute names, metadata keys or tags, e.g. ${example}`;
  return z.array(text(example), { error: hint });
}

/**
 * A Slack channel name (with or without `#`) or id. YAML reads an unquoted `#` after a space as a comment, so
 * `slack_channel: #costs` arrives as no value at all: the message says to quote it.
 */
function channel(key: string) {
  const hint = `must be a Slack channel name or id, quoted because in YAML an unquoted # starts a comment, e.g. ${key}: "#ai-costs"`;
  return z.string({ error: hint }).trim().regex(/^#?[^\s#]+$/, { error: hint });
}

/** An optional leaf: absent in the file reads as null in the config, so every key is present for the code. */
function orNull<T extends z.ZodType>(schema: T) {
  return schema.optional().transform((value) => value ?? null);
}

/** A section of the file: absent, or present with nothing under it (`detectors:`), means all its defaults. */
function section<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.prefault({} as z.input<T>));
}

/** A Fermi range: both ends above 0 and low <= high. */
function range(key: string, example: string) {
  const hint = `must be a range {low, high} with 0 < low <= high, e.g. ${key}: ${example}`;
  return z
    .strictObject({ low: positive(`${key}: ${example}`), high: positive(`${key}: ${example}`) }, { error: hint })
    .refine((r) => r.low <= r.high, { error: `low must not be above high: ${hint}` });
}

/**
 * A prior for a new feature (under 28 days of data): monthly spend is about
 * users x calls per user x tokens per call x price, each known only as a range. The forecast draws from it and
 * lets real days take over. These are numbers, not money strings: they feed a simulation, not a bill.
 */
export const fermiSchema = z.strictObject(
  {
    daily_active_users: range('daily_active_users', '{low: 2000, high: 8000}'),
    calls_per_user: range('calls_per_user', '{low: 2, high: 10}'),
    tokens_per_call: range('tokens_per_call', '{low: 1500, high: 4000}'),
    usd_per_mtok: range('usd_per_mtok', '{low: 0.5, high: 3}'),
  },
  { error: 'must give daily_active_users, calls_per_user, tokens_per_call and usd_per_mtok, each {low, high}' },
);

/** A feature's settings as written in the file: every key optional; absent keys fall back to `defaults`. */
export const featureSchema = z.strictObject(
  {
    unit: z
      .enum(['outcomes', 'calls'], {
        error: 'must be outcomes or calls, e.g. unit: outcomes (or leave it out: outcomes if the feature logs any, else calls)',
      })
      .optional(),
    unit_name: text('unit_name: resolved ticket').optional(),
    budget_per_unit_usd: money('budget_per_unit_usd: 0.40').optional(),
    value_per_unit_usd: money('value_per_unit_usd: 6.00').optional(),
    monthly_budget_usd: money('monthly_budget_usd: 12000').optional(),
    owner: text('owner: team-support').optional(),
    slack_channel: channel('slack_channel').optional(),
    quality_bar: fraction('quality_bar: 0.85').optional(),
    retry_cap: wholeNumber(1, 'retry_cap: 3').optional(),
    approved_models: models('approved_models: [claude-sonnet-4-5, gpt-4.1-mini]').optional(),
    fallback_models: models('fallback_models: [gpt-4.1-mini]').optional(),
    fermi: fermiSchema.optional(),
  },
  { error: 'must be a mapping of settings, e.g. support_bot: {unit: outcomes} (settings for every feature go under defaults)' },
);

/** Detector thresholds. Each default is chosen so clean data with weekly seasonality, growth and noise stays quiet. */
export const detectorsSchema = z.strictObject({
  lookback_days: section(
    z.strictObject({
      anomalies: wholeNumber(1, 'anomalies: 35').default(35),
      retries: wholeNumber(1, 'retries: 35').default(35),
      drift: wholeNumber(1, 'drift: 120').default(120),
      switches: wholeNumber(1, 'switches: 120').default(120),
      attribution: wholeNumber(1, 'attribution: 120').default(120),
      budget: wholeNumber(1, 'budget: 35').default(35),
      pii: wholeNumber(1, 'pii: 35').default(35),
    }),
  ),
  drift: section(
    z.strictObject({
      growth_threshold: positive('growth_threshold: 0.25').default(0.25),
      min_calls_per_week: wholeNumber(1, 'min_calls_per_week: 200').default(200),
      cache_hit_rate_drop: fraction('cache_hit_rate_drop: 0.1').default(0.1),
    }),
  ),
  anomaly: section(
    z
      .strictObject({
        min_impact_usd_day: money('min_impact_usd_day: 25').default('25'),
        page_impact_usd_day: money('page_impact_usd_day: 100').default('100'),
        min_excess_share: positive('min_excess_share: 0.25').default(0.25),
        z_warn: positive('z_warn: 3').default(3),
        z_page: positive('z_page: 5').default(5),
      })
      .refine((a) => a.z_page > a.z_warn, { error: 'must be above z_warn, e.g. z_page: 5 with z_warn: 3', path: ['z_page'] }),
  ),
  retries: section(
    z
      .strictObject({
        attempts_per_request_warn: atLeast(1, 'attempts_per_request_warn: 1.5').default(1.5),
        attempts_per_request_page: atLeast(1, 'attempts_per_request_page: 2').default(2),
        min_requests_per_hour: wholeNumber(1, 'min_requests_per_hour: 5').default(5),
      })
      .refine((r) => r.attempts_per_request_page > r.attempts_per_request_warn, {
        error: 'must be above attempts_per_request_warn, e.g. attempts_per_request_page: 2 with attempts_per_request_warn: 1.5',
        path: ['attempts_per_request_page'],
      }),
  ),
  switches: section(
    z.strictObject({
      min_share: fraction('min_share: 0.6').default(0.6),
      max_quality_drop: fraction('max_quality_drop: 0.03').default(0.03),
      min_quality_samples: wholeNumber(1, 'min_quality_samples: 30').default(30),
    }),
  ),
  premium: section(
    z.strictObject({
      min_share: fraction('min_share: 0.6').default(0.6),
      min_quality_samples: wholeNumber(1, 'min_quality_samples: 30').default(30),
      min_saving_share: fraction('min_saving_share: 0.2').default(0.2),
      warn_saving_usd_month: money('warn_saving_usd_month: 50').default('50'),
    }),
  ),
  unattributed: section(
    z
      .strictObject({
        max_share: fraction('max_share: 0.05').default(0.05),
        info_share: fraction('info_share: 0.01').default(0.01),
      })
      .refine((u) => u.info_share <= u.max_share, { error: 'must not be above max_share, e.g. info_share: 0.01 with max_share: 0.05', path: ['info_share'] }),
  ),
  unpriced: section(z.strictObject({ warn_impact_usd_month: money('warn_impact_usd_month: 10').default('10') })),
  data_gap: section(
    z.strictObject({
      hours: wholeNumber(1, 'hours: 6').default(6),
      min_expected_calls: wholeNumber(1, 'min_expected_calls: 30').default(30),
    }),
  ),
  invoice: section(z.strictObject({ max_gap_share: fraction('max_gap_share: 0.02').default(0.02) })),
});

/**
 * The values of the `job` label ai-finops's BigQuery queries carry: the jobs (CONTRACT.md), the ingest function,
 * and the shared readers and writers a job calls (`findings`, `slack`), the reports and the reconciliation. The
 * per-job caps on bytes billed are keyed by these (functions/engine/bigquery.ts applies them by label).
 */
export const queryJobs = [
  'rollup', 'forecast', 'detect', 'drift', 'retries', 'anomalies', 'pii-scan', 'anomaly-scan', 'advise', 'digest',
  'month-end', 'ingest', 'findings', 'slack', 'report', 'reconcile',
] as const;
export type QueryJob = (typeof queryJobs)[number];

/** The default cap on the bytes one query may bill: 10 GB, about $0.06 on demand (bigquery.ts says why). */
export const defaultMaximumBytesBilled = 10_000_000_000;

function bytesBilled(key: string) {
  return wholeNumber(1, `${key}: 50000000000 (bytes; 50 GB)`);
}

/** `bigquery.maximum_bytes_billed`: `default`, and any job label with a cap of its own. */
const maximumBytesBilledSchema = z.strictObject({
  default: bytesBilled('default').default(defaultMaximumBytesBilled),
  ...(Object.fromEntries(queryJobs.map((job) => [job, bytesBilled(job).optional()])) as Record<QueryJob, z.ZodOptional<ReturnType<typeof bytesBilled>>>),
});

/** The whole file. `version` is required so a later format can be told apart and migrated, not misread. */
export const fileSchema = z.strictObject(
  {
    version: z.literal(1, { error: 'must be 1, the only version this ai-finops reads: start the file with version: 1' }),
    defaults: section(featureSchema),
    features: section(z.record(z.string(), featureSchema, { error: 'must be a mapping of feature name to its settings' })),
    detectors: section(detectorsSchema),
    rollup: section(z.strictObject({ trailing_days: wholeNumber(1, 'trailing_days: 3').default(3) })),
    // The ingest function's limits per batch (functions/ingest/limits.ts says why each default).
    ingest: section(
      z.strictObject({
        max_records: wholeNumber(1, 'max_records: 5000').default(5000),
        max_bytes: wholeNumber(1024, 'max_bytes: 5242880').default(5 * 1024 * 1024),
        max_string_chars: wholeNumber(16, 'max_string_chars: 2048').default(2048),
        max_depth: wholeNumber(2, 'max_depth: 16').default(16),
      }),
    ),
    // Where foreign record shapes (OpenTelemetry spans, LiteLLM spend logs) carry feature, segment and customer:
    // attribute names, metadata keys or tag names, the first one found winning (functions/ledger/shapes.ts).
    shapes: section(
      z.strictObject({
        feature_attributes: attributeNames('feature_attributes: [app.feature, feature]').default(['feature']),
        segment_attributes: attributeNames('segment_attributes: [app.segment, tier]').default(['segment']),
        customer_attributes: attributeNames('customer_attributes: [app.customer_id]').default(['customer_id']),
      }),
    ),
    pricing: section(z.strictObject({ negotiated_prices: orNull(text('negotiated_prices: prices/negotiated.csv')) })),
    slack: section(z.strictObject({ default_channel: orNull(channel('default_channel')) })),
    // The billing account each provider invoices, for the FOCUS export's BillingAccountId and BillingAccountName
    // (functions/reports/billing-account.ts has the defaults); keyed by provider as the ledger names it.
    billing: section(
      z.strictObject({
        accounts: section(
          z.record(
            z.string(),
            z.strictObject(
              { id: text('id: org-AbC123'), name: text('name: Acme on OpenAI').optional() },
              { error: 'must be {id, name}, e.g. openai: {id: org-AbC123, name: Acme on OpenAI}' },
            ),
            { error: 'must be a mapping of provider to its billing account, e.g. openai: {id: org-AbC123, name: Acme on OpenAI}' },
          ),
        ),
      }),
    ),
    // ai-finops's own BigQuery spend (FINOPS_ENGINE=bigquery): the most one query may bill, per job label, and the
    // on-demand price `ai-finops estimate` quotes.
    bigquery: section(
      z.strictObject({
        maximum_bytes_billed: section(maximumBytesBilledSchema),
        on_demand_usd_per_tib: money('on_demand_usd_per_tib: 6.25').default('6.25'),
      }),
    ),
    advice: section(
      z.strictObject({
        commit_discount: fraction('commit_discount: 0.2', { below1: true }).default(0.2),
        self_host_tokens_per_month: wholeNumber(1, 'self_host_tokens_per_month: 2e9').default(2_000_000_000),
        fine_tune: section(
          z.strictObject({
            target_model: text('target_model: gpt-4.1-mini').default('gpt-4.1-mini'),
            training_usd: money('training_usd: 500').default('500'),
            labor_usd: money('labor_usd: 10000').default('10000'),
            price_factor: atLeast(1, 'price_factor: 2').default(2),
            payback_months: positive('payback_months: 12').default(12),
          }),
        ),
      }),
    ),
  },
  { error: 'must be a mapping of settings, starting with version: 1' },
);

export type FileSettings = z.output<typeof fileSchema>;
export type FeatureSettings = z.output<typeof featureSchema>;
