import { parseFinopsConfig, type FinopsConfig } from '../../../functions/config/finops-config.js';
import { DuckDBEngine } from '../../../functions/engine/duckdb.js';
import type { Finding } from '../../../functions/findings/finding.js';
import { detectorJob, runAnomalyScan, type DetectResult } from '../../../functions/jobs/detect.js';
import type { DetectorJobName } from '../../../functions/detect/detectors.js';
import { loadScenario, type Scenario, type Stream } from './scenario.js';

/**
 * The control features of the detector tests and their config: what a healthy ledger looks like. Each test takes
 * the streams it needs, injects one problem, and runs a job on an in-memory DuckDB.
 */

export const end = '2026-06-01';

export const streams = {
  /** The largest spend: a support assistant on Sonnet with a cached system prompt. */
  support: { feature: 'support', segment: 'pro', provider: 'anthropic', model: 'claude-sonnet-4-20250514', perDay: 2400, inputTokens: 3000, outputTokens: 400, cacheHit: 0.5, quality: 0.88 },
  /** support's free segment on Haiku, below the feature's quality bar: no routing option. */
  supportFree: { feature: 'support', segment: 'free', provider: 'anthropic', model: 'claude-3-5-haiku-latest', perDay: 600, inputTokens: 2500, outputTokens: 300, cacheHit: 0.5, quality: 0.74 },
  /** Many cheap calls with a cached prefix. */
  search: { feature: 'search', provider: 'google', model: 'gemini-2.5-flash', perDay: 3000, inputTokens: 900, outputTokens: 120, cacheHit: 0.4 },
  /** A reviewer on gpt-4o-mini, with a retry cap of 2. */
  review: { feature: 'review', provider: 'openai', model: 'gpt-4o-mini', perDay: 1200, inputTokens: 2500, outputTokens: 400, quality: 0.8 },
  /** Document extraction on Opus, the only model that passes its bar. */
  extract: { feature: 'extract', provider: 'anthropic', model: 'claude-opus-4-20250514', perDay: 250, inputTokens: 5000, outputTokens: 800, quality: 0.93 },
  /** A trickle of calls with no feature: well under the unattributed thresholds. */
  untagged: { feature: null, provider: 'anthropic', model: 'claude-sonnet-4-20250514', perDay: 15, inputTokens: 3000, outputTokens: 400 },
} satisfies Record<string, Stream>;

export const allStreams: Stream[] = Object.values(streams);

export const configYaml = `version: 1
features:
  support:
    unit: calls
    budget_per_unit_usd: 0.05
    monthly_budget_usd: 3000
    quality_bar: 0.8
    retry_cap: 3
  search:
    budget_per_unit_usd: 0.01
    monthly_budget_usd: 500
  review:
    quality_bar: 0.7
    retry_cap: 2
    budget_per_unit_usd: 0.01
  extract:
    quality_bar: 0.85
    budget_per_unit_usd: 0.5
    monthly_budget_usd: 3000
`;

export const testConfig: FinopsConfig = parseFinopsConfig(configYaml, 'test');

/** A scenario over the control streams (or some of them), ending on `end`. */
export function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return { end, days: 70, seed: 11, streams: allStreams, ...overrides };
}

export type RunJob = DetectorJobName | 'anomaly-scan';

/** A fresh in-memory ledger with the scenario loaded. */
export async function ledgerWith(s: Scenario): Promise<DuckDBEngine> {
  const engine = await DuckDBEngine.open();
  await engine.ensureTables();
  await loadScenario(engine, s);
  return engine;
}

/** Runs a job on an engine as of a day (default: the scenario's end). */
export async function runJob(engine: DuckDBEngine, job: RunJob, asOf = end, config = testConfig, now = new Date('2026-07-01T12:00:00Z')): Promise<DetectResult> {
  const context = { engine, config, asOf, now: () => now };
  return job === 'anomaly-scan' ? runAnomalyScan(context) : detectorJob(job)(context);
}

/** Loads a scenario, runs a job, returns its findings. */
export async function findingsOf(s: Scenario, job: RunJob = 'detect', asOf = s.end, config = testConfig): Promise<Finding[]> {
  const engine = await ledgerWith(s);
  try {
    return (await runJob(engine, job, asOf, config)).findings;
  } finally {
    await engine.close();
  }
}

/** E-n as a day, counted as the demo counts (E-1 is the window's last day). */
export function daysBefore(n: number, from = end): string {
  const date = new Date(from + 'T00:00:00Z');
  date.setUTCDate(date.getUTCDate() - n);
  return date.toISOString().slice(0, 10);
}

/** Hours between two instants (absolute). */
export function hoursApart(a: string, b: string): number {
  return Math.abs(Date.parse(a) - Date.parse(b)) / 3_600_000;
}

/** The finding of a kind (and feature) among findings; fails the test, listing what was found, if there is none. */
export function theFinding(findings: Finding[], kind: string, feature?: string | null): Finding {
  const found = findings.filter((f) => f.kind === kind && (feature === undefined || f.feature === feature));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${feature === undefined ? '' : ` on ${feature}`}, found ${found.length}:\n` + findings.map((f) => `  ${f.severity} ${f.kind} ${f.feature} ${f.first_seen}: ${f.summary}`).join('\n'));
  }
  return found[0]!;
}

/** The severities above info among findings, as `kind on feature`, for "nothing above info" checks. */
export function aboveInfo(findings: Finding[]): string[] {
  return findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.kind} on ${f.feature} from ${f.first_seen}: ${f.summary}`);
}
