import type { Command } from 'commander';
import { loadFinopsConfig, resolveConfigPath } from '../../config/finops-config.js';
import { parseSettings, type Settings } from '../../config/settings.js';
import type { BigQueryEngine } from '../../engine/bigquery.js';
import { openEngine } from '../../engine/open.js';
import { recordStatements, statementName } from '../../engine/recording.js';
import { ConfigError, UsageError } from '../../errors.js';
import { formatBytes } from '../../format/bytes.js';
import { renderTable } from '../../format/table.js';
import { jobs } from '../../jobs/registry.js';
import { formatUsd, fromNanos, toNanos } from '../../money.js';
import { asOfDay, jsonOption, print } from '../common.js';

/**
 * `ai-finops estimate JOB [--as-of D] [--json]`: what one run of a job would scan on BigQuery, query by query, and
 * what that costs on demand. The queries are the job's own: the job runs on an empty in-memory DuckDB ledger
 * through a RecordingEngine (functions/engine/recording.ts), and each statement it sent is dry-run on BigQuery
 * (`dryRun`, which plans the query, partition pruning included, and bills nothing). A range replacement is
 * estimated by its select. Queries a job sends only when the data asks (a root-cause slice per spend anomaly, Slack
 * delivery lookups) do not run on an empty ledger, so they are not counted; the output says so.
 */

export interface QueryEstimate {
  query: string;
  /** The query's `job` label, which picks its cap on bytes billed: the job's name (functions/engine/labelled.ts). */
  job_label: string;
  feature: string | null;
  bytes: number;
  cost_usd: string;
  /** The cap on bytes billed BigQuery would apply to it (config `bigquery.maximum_bytes_billed`). */
  maximum_bytes_billed: number;
  /** It scans more than its cap: BigQuery would refuse it, and the job would fail. */
  over_cap: boolean;
}

export interface Estimate {
  job: string;
  as_of: string;
  usd_per_tib: string;
  queries: QueryEstimate[];
  total_bytes: number;
  total_cost_usd: string;
  note: string;
}

const tib = 2n ** 40n;

/**
 * The on-demand cost of scanning `bytes` at `usdPerTib` (exact decimal text): bytes / 2^40 x price, in integer
 * nano-dollars, rounded half up once.
 * @example onDemandCost(2 ** 40, '6.25') // '6.250000000'
 */
export function onDemandCost(bytes: number, usdPerTib: string): string {
  return fromNanos((BigInt(bytes) * toNanos(usdPerTib) + tib / 2n) / tib);
}

const needsBigQuery =
  'ai-finops estimate dry-runs queries on BigQuery: set FINOPS_ENGINE=bigquery, FINOPS_BQ_PROJECT and ' +
  'FINOPS_BQ_DATASET (and FINOPS_BQ_LOCATION if the dataset is not in the US multi-region)';

/** The BigQuery settings, or a usage error (exit 2) naming the variables to set. */
function bigQuerySettings(env: NodeJS.ProcessEnv): Settings {
  let settings: Settings;
  try {
    settings = parseSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${error.message}. ${needsBigQuery}`, { cause: error });
    throw error;
  }
  if (settings.engine !== 'bigquery') throw new UsageError(`FINOPS_ENGINE is ${settings.engine}. ${needsBigQuery}`);
  return settings;
}

export function registerEstimate(program: Command): void {
  jsonOption(program.command('estimate'))
    .description('dry-run each query of a job on BigQuery and print the bytes it would scan and their on-demand cost')
    .argument('<job>', `the job: ${Object.keys(jobs).join(', ')}`)
    .option('--as-of <day>', 'the run to estimate: as if on the morning of this UTC day (YYYY-MM-DD); default today')
    .option('--config <file>', 'config (default: FINOPS_CONFIG, else ./finops.config.yaml): caps and price per TiB')
    .action(async (name: string, options: { asOf?: string; config?: string; json?: boolean }) => {
      const job = jobs[name];
      if (!job) throw new UsageError(`there is no job "${name}": the jobs are ${Object.keys(jobs).join(', ')}`);
      const asOf = asOfDay(options.asOf);
      const settings = bigQuerySettings(process.env);
      const config = await loadFinopsConfig(resolveConfigPath(options.config, process.env, process.cwd()));
      const statements = await recordStatements((engine) => job.run({ engine, config, asOf, now: () => new Date() }));

      const bigquery = (await openEngine(settings, settings.duckdbPath, config)) as BigQueryEngine;
      const usdPerTib = config.bigquery.on_demand_usd_per_tib;
      const queries: QueryEstimate[] = [];
      try {
        for (const statement of statements) {
          const { bytes } = await bigquery.dryRun(statement.template, statement.params, { labels: statement.labels });
          const cap = bigquery.capOf(statement.labels);
          queries.push({
            query: statementName(statement),
            job_label: statement.labels.job ?? '',
            feature: statement.labels.feature ?? null,
            bytes,
            cost_usd: onDemandCost(bytes, usdPerTib),
            maximum_bytes_billed: cap,
            over_cap: bytes > cap,
          });
        }
      } finally {
        await bigquery.close();
      }
      const totalBytes = queries.reduce((sum, q) => sum + q.bytes, 0);
      const estimate: Estimate = {
        job: name,
        as_of: asOf,
        usd_per_tib: usdPerTib,
        queries,
        total_bytes: totalBytes,
        total_cost_usd: onDemandCost(totalBytes, usdPerTib),
        note:
          'Queries a job sends only when the data asks for them (root-cause slices of spend anomalies, Slack ' +
          'delivery lookups) are not included: the job was run on an empty ledger to list its queries.',
      };
      print(estimate, options.json, () => renderEstimate(estimate));
    });
}

export function renderEstimate(estimate: Estimate): string {
  return renderTable<QueryEstimate>(
    [
      { header: 'query', value: (q) => q.query },
      { header: 'job label', value: (q) => q.job_label + (q.feature === null ? '' : ` (${q.feature})`) },
      { header: 'scans', align: 'right', value: (q) => formatBytes(q.bytes) },
      { header: 'cap', align: 'right', value: (q) => `${q.over_cap ? 'OVER ' : ''}${formatBytes(q.maximum_bytes_billed)}` },
      { header: 'on demand', align: 'right', value: (q) => formatUsd(q.cost_usd) },
    ],
    estimate.queries,
    {
      title: `BigQuery dry run of ${estimate.job} as of ${estimate.as_of}: ${estimate.queries.length} queries, on demand at $${Number(estimate.usd_per_tib)} per TiB`,
      footer: ['total', '', formatBytes(estimate.total_bytes), '', formatUsd(estimate.total_cost_usd)],
      note: [
        ...(estimate.queries.some((q) => q.over_cap)
          ? ['A query marked OVER scans more than its cap: BigQuery would refuse it and the job would fail. Check its partition filter, or raise the cap (bigquery.maximum_bytes_billed in the config).']
          : []),
        estimate.note,
      ].join('\n'),
    },
  );
}
