/**
 * One finding model for every detector (CONTRACT.md, "Findings"): a problem a person can act on, with the dollars
 * at stake. Detectors report DetectedFindings; the store (store.ts) merges them by their stable `key` into the
 * `findings` table, where each becomes a Finding with a status.
 */

/** Every kind the contract names, in its order. */
export const findingKinds = [
  'prompt_drift',
  'cache_regression',
  'retry_storm',
  'retry_cap_exceeded',
  'spend_anomaly',
  'model_switch_without_eval',
  'unattributed_spend',
  'premium_model_default',
  'no_fallback_model',
  'budget_overrun',
  'data_gap',
  'unpriced_spend',
  'pii_in_logs',
  'invoice_mismatch',
] as const;

export type FindingKind = (typeof findingKinds)[number];

export const severities = ['info', 'warn', 'page'] as const;
export type Severity = (typeof severities)[number];

export const findingStatuses = ['open', 'acked', 'resolved'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

/** The numbers behind a finding: plain JSON, money as decimal strings, rates and counts as numbers. */
export type Evidence = Record<string, unknown>;

/** The fields of the contract that a detector fills in and the findings table keeps. */
interface FindingFields {
  /** Stable dedupe key: the same problem seen again has the same key (see findingKey). */
  key: string;
  kind: FindingKind;
  severity: Severity;
  /** The feature it concerns; for a finding about a model, the feature that carries most of its excess. */
  feature: string | null;
  /** The model, prompt_id, segment or month it is about, as fits the kind. */
  subject: string | null;
  /** The onset: the first day (`YYYY-MM-DDT00:00:00Z`) or hour of the problem. */
  first_seen: string;
  /** The last day or hour it was seen. */
  last_seen: string;
  /** The estimated monthly cost of leaving it alone, as exact decimal text; null when it cannot be put in dollars. */
  impact_usd_month: string | null;
  /** One sentence a person understands. */
  summary: string;
  evidence: Evidence;
}

/** What a detector reports: one problem visible in its window. */
export interface DetectedFinding extends FindingFields {
  /**
   * Whether the problem is still there at the end of the window. A problem that showed and went away inside the
   * window (a three-hour retry storm last week) is reported, and stored as resolved: as if the daily job had run
   * on each day of the window and a later run no longer saw it.
   */
  ongoing: boolean;
}

/** A finding as the `findings` table keeps it and as jobs and `ai-finops findings --json` print it. */
export interface Finding extends FindingFields {
  status: FindingStatus;
  /** Snoozed until this day (`YYYY-MM-DD`), inclusive; null: not snoozed, or acked until it resolves. */
  acked_until: string | null;
  /** When a job first reported it. */
  detected_at: string;
  /** When a job last changed it. */
  updated_at: string;
}

/**
 * The stable dedupe key: the kind and the parts that name the problem, joined by `:`, a missing part written `-`.
 * Problems that happen as events (a spend anomaly, a retry storm, a data gap) add their onset day, so the same
 * storm seen again by tomorrow's run updates its row, and next month's storm gets a row of its own.
 *
 * @example findingKey('prompt_drift', 'search_summaries', 'summarize@v3') // 'prompt_drift:search_summaries:summarize@v3'
 * @example findingKey('unattributed_spend', null) // 'unattributed_spend:-'
 */
export function findingKey(kind: FindingKind, ...parts: (string | null)[]): string {
  return [kind, ...parts.map((part) => (part === null || part === '' ? '-' : part))].join(':');
}

const severityRank: Record<Severity, number> = { info: 0, warn: 1, page: 2 };

/** Orders severities: info < warn < page. */
export function compareSeverity(a: Severity, b: Severity): number {
  return severityRank[a] - severityRank[b];
}

/** The more severe of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return compareSeverity(a, b) >= 0 ? a : b;
}
