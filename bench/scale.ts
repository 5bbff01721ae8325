/**
 * The scale benchmark (a benchmark, not a test): `npm run bench`.
 *
 *   npm run bench                                    # 1M, 10M and 50M calls, the history check, PostgreSQL at 1M and 10M
 *   npm run bench -- --sizes 1000000 --no-postgres   # one size, without PostgreSQL
 *   npm run bench -- --sizes none --history 30,365   # only the history check
 *
 * For each size it generates the synthetic workload (deterministic seed, 90 days, Parquet, rows in no particular
 * order), loads it into a fresh DuckDB file and times every job as the schedule runs them (rollup, forecast, detect,
 * anomaly-scan, digest, month-end), then each detector on its own, with the process's peak memory; at the sizes
 * given by --postgres-sizes it times the same rollup and detector read on PostgreSQL (bench/postgres.ts). Then it
 * checks that a daily run costs the same on a year of history as on a month: the same traffic a day, on ledgers of
 * 30 and 365 days. Each measurement runs in a child process of its own, so its peak RSS is its own.
 *
 * It prints tables and writes bench/results.md (--output) with the machine, the commands and the figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultConfig } from '../functions/config/finops-config.js';
import { callsPerDayAtScale1, writeWorkload } from '../functions/demo/workload.js';
import { DetectReader } from '../functions/detect/detector.js';
import { detectorsByJob } from '../functions/detect/detectors.js';
import { sharedFrom } from '../functions/detect/ledger-reads.js';
import { DuckDBEngine } from '../functions/engine/duckdb.js';
import { formatCount, renderTable } from '../functions/format/table.js';
import type { JobContext } from '../functions/jobs/context.js';
import { jobs } from '../functions/jobs/registry.js';
import { loadFile } from '../functions/ledger/load.js';
import { addDays } from '../functions/time/days.js';
import { comparePostgres, renderComparisons, type Comparison } from './postgres.js';
import { timed } from './timed.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000,50000000' },
    'postgres-sizes': { type: 'string', default: '1000000,10000000' },
    'no-postgres': { type: 'boolean', default: false },
    history: { type: 'string', default: '30,365' },
    'history-calls-per-day': { type: 'string', default: '30000' },
    dir: { type: 'string', default: 'bench/data' },
    'memory-limit': { type: 'string', default: '4GB' },
    output: { type: 'string', default: 'bench/results.md' },
    json: { type: 'boolean', default: false },
    // set by the parent for a child process: one measurement, printed as JSON
    child: { type: 'string' },
    calls: { type: 'string' },
    days: { type: 'string' },
    postgres: { type: 'boolean', default: false },
  },
});

/** The workload's days end the day before this; every job runs as of it. */
const endDate = '2026-11-01';
const sizeDays = 90;

interface Step {
  name: string;
  seconds: number;
  rows?: number;
}

/** One size: every step, timed, with the process's peak RSS. */
interface SizeRun {
  calls: number;
  steps: Step[];
  /** Load of calls and outcomes plus every scheduled job, once each. */
  load_and_jobs_s: number;
  detectors: Step[];
  spend_usd: string;
  peak_rss_mib: number;
  postgres: Comparison[] | null;
}

/** One ledger of `days` days: the daily runs, each the median of three. */
interface HistoryRun {
  days: number;
  calls: number;
  steps: Step[];
  peak_rss_mib: number;
}

const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;
const progress = (line: string) => process.stderr.write(`  ${line}\n`);

/** The median of three runs: a daily job's time without the outliers of a shared machine. */
async function medianOfThree(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push((await timed(work))[1]);
  return times.sort((a, b) => a - b)[1]!;
}

/** The workload of `calls` calls over `days` days, as Parquet in `dir`: generated once (not timed), then reused. */
function workloadFiles(calls: number, days: number): { dataDir: string; callsFile: string; outcomesFile: string } {
  const dataDir = join(values.dir, `${calls}-${days}d-parquet`);
  return { dataDir, callsFile: join(dataDir, 'llm_calls.parquet'), outcomesFile: join(dataDir, 'outcomes.parquet') };
}

async function generate(calls: number, days: number): Promise<void> {
  const { dataDir, callsFile, outcomesFile } = workloadFiles(calls, days);
  if (existsSync(callsFile) && existsSync(outcomesFile)) return;
  progress(`generating ${formatCount(calls)} calls over ${days} days in ${dataDir} (once; not timed)`);
  const generator = await DuckDBEngine.open();
  const scale = calls / (days * callsPerDayAtScale1);
  await writeWorkload(generator, { dir: dataDir, days, endDate, seed: 1, scale, format: 'parquet', ordered: false });
  await generator.close();
}

/** A fresh DuckDB file in `dir` with the generated workload of `calls` calls over `days` days loaded, timed. */
async function loadedLedger(calls: number, days: number, steps: Step[]): Promise<DuckDBEngine> {
  const { callsFile, outcomesFile } = workloadFiles(calls, days);
  const dbPath = join(values.dir, `bench-${calls}-${days}d.duckdb`);
  for (const path of [dbPath, dbPath + '.wal']) if (existsSync(path)) rmSync(path);
  const engine = await DuckDBEngine.open(dbPath);
  // DuckDB takes up to 80% of RAM by default; with a cap it sorts, joins and aggregates out of core beyond it
  await engine.exec(`set memory_limit = '${values['memory-limit'].replaceAll("'", '')}'`);
  await engine.ensureTables();
  progress('loading calls');
  const [loaded, callsSeconds] = await timed(() => loadFile(engine, 'calls', callsFile));
  steps.push({ name: 'load calls', seconds: callsSeconds, rows: loaded.rows_read });
  progress('loading outcomes');
  const [outcomes, outcomesSeconds] = await timed(() => loadFile(engine, 'outcomes', outcomesFile));
  steps.push({ name: 'load outcomes', seconds: outcomesSeconds, rows: outcomes.rows_read });
  return engine;
}

/** A job as run by hand with --as-of: the clock is the real one, as the loads' was (the rollup compares the two). */
function jobContext(engine: DuckDBEngine, asOf = endDate): JobContext {
  return { engine, config: defaultConfig, asOf, now: () => new Date() };
}

/** The jobs in the order the schedule runs them on the first of a month: each of them once. */
const scheduledJobs = ['rollup', 'forecast', 'detect', 'anomaly-scan', 'digest', 'month-end'] as const;

async function runSize(calls: number, withPostgres: boolean): Promise<SizeRun> {
  const steps: Step[] = [];
  const engine = await loadedLedger(calls, sizeDays, steps);
  const context = jobContext(engine);
  let spend = '';
  for (const name of scheduledJobs) {
    progress(`run ${name}`);
    const [result, seconds] = await timed(() => jobs[name]!.run(context));
    if (name === 'rollup') spend = String((result as unknown as { spend_usd: string }).spend_usd);
    steps.push({ name: `run ${name}`, seconds });
  }
  const loadAndJobs = steps.reduce((sum, s) => sum + s.seconds, 0);
  progress('daily reruns');
  steps.push({ name: 'rollup again (its trailing days)', seconds: await medianOfThree(() => jobs.rollup!.run(context)) });
  steps.push({ name: 'detect again', seconds: await medianOfThree(() => jobs.detect!.run(context)) });

  // each detector on its own, with a reader of its own: what it costs when it is the only one reading
  const detectors: Step[] = [];
  for (const detector of detectorsByJob.detect) {
    const reader = new DetectReader(engine, 'bench');
    const [, seconds] = await timed(() => detector.detect({ ...context, reader, job: 'bench' }));
    detectors.push({ name: detector.name, seconds });
  }

  let postgres: Comparison[] | null = null;
  if (withPostgres) {
    progress('PostgreSQL');
    postgres = await comparePostgres(engine, {
      workDir: join(values.dir, 'postgres'),
      window: { from: addDays(endDate, -sizeDays), to: endDate },
      oneDay: { from: addDays(endDate, -1), to: endDate },
      // the hours every detector reads, over the widest window a daily run reads (functions/detect/ledger-reads.ts)
      detectorWindow: { from: sharedFrom({ config: defaultConfig, asOf: endDate }), to: endDate },
      progress,
    });
  }
  await engine.close();
  return { calls, steps, load_and_jobs_s: loadAndJobs, detectors, spend_usd: spend, peak_rss_mib: peakRssMiB(), postgres };
}

async function runHistory(days: number, callsPerDay: number): Promise<HistoryRun> {
  const steps: Step[] = [];
  const calls = days * callsPerDay;
  const engine = await loadedLedger(calls, days, steps);
  const context = jobContext(engine);
  // the first runs take in the whole load; what is timed is a run on a day after it, as the schedule runs them
  await jobs.rollup!.run(context);
  await jobs.detect!.run(context);
  progress(`daily runs on ${days} days of history`);
  steps.push({ name: 'rollup (daily)', seconds: await medianOfThree(() => jobs.rollup!.run(context)) });
  steps.push({ name: 'detect (daily, every detector)', seconds: await medianOfThree(() => jobs.detect!.run(context)) });
  steps.push({ name: 'anomaly-scan (hourly)', seconds: await medianOfThree(() => jobs['anomaly-scan']!.run(context)) });
  await engine.close();
  return { days, calls, steps: steps.filter((s) => !s.name.startsWith('load')), peak_rss_mib: peakRssMiB() };
}

/** Runs this script again as a child for one measurement, and parses the JSON it prints. */
function child<T>(args: string[]): T {
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, [script, ...args, '--dir', values.dir, '--memory-limit', values['memory-limit']], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`the benchmark child ${args.join(' ')} failed (exit ${run.status ?? run.signal})`);
  return JSON.parse(run.stdout.toString()) as T;
}

const list = (text: string) => (text === 'none' ? [] : text.split(',').map(Number));
const seconds = (s: number) => s.toFixed(2);

if (values.child === 'generate') {
  await generate(Number(values.calls), Number(values.days));
  process.stdout.write('{}');
} else if (values.child === 'size') {
  process.stdout.write(JSON.stringify(await runSize(Number(values.calls), values.postgres)));
} else if (values.child === 'history') {
  process.stdout.write(JSON.stringify(await runHistory(Number(values.days), Number(values['history-calls-per-day']))));
} else {
  mkdirSync(values.dir, { recursive: true });
  const postgresSizes = new Set(values['no-postgres'] ? [] : list(values['postgres-sizes']));
  const sizes: SizeRun[] = [];
  for (const calls of list(values.sizes)) {
    process.stderr.write(`${formatCount(calls)} calls\n`);
    child(['--child', 'generate', '--calls', String(calls), '--days', String(sizeDays)]);
    sizes.push(child<SizeRun>(['--child', 'size', '--calls', String(calls), ...(postgresSizes.has(calls) ? ['--postgres'] : [])]));
  }
  const histories: HistoryRun[] = [];
  for (const days of list(values.history)) {
    process.stderr.write(`${days} days of history at ${formatCount(Number(values['history-calls-per-day']))} calls a day\n`);
    child(['--child', 'generate', '--calls', String(days * Number(values['history-calls-per-day'])), '--days', String(days)]);
    histories.push(child<HistoryRun>(['--child', 'history', '--days', String(days), '--history-calls-per-day', values['history-calls-per-day']]));
  }
  const report = renderResults(sizes, histories);
  writeFileSync(values.output, report.markdown);
  process.stdout.write(values.json ? JSON.stringify({ sizes, histories }, null, 2) + '\n' : report.text + `\nwritten to ${values.output}\n`);
}

/** The tables for the terminal and the same figures as bench/results.md. */
function renderResults(sizes: SizeRun[], histories: HistoryRun[]): { text: string; markdown: string } {
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const stepTable = (run: SizeRun) =>
    renderTable(
      [
        { header: 'step', value: (s: Step) => s.name },
        { header: 'rows', align: 'right', value: (s) => (s.rows ? formatCount(s.rows) : '') },
        { header: 'seconds', align: 'right', value: (s) => seconds(s.seconds) },
      ],
      [...run.steps, ...run.detectors.map((d) => ({ ...d, name: `  detector ${d.name}` }))],
      {
        title: `${formatCount(run.calls)} calls over ${sizeDays} days`,
        footer: ['load + all jobs', formatCount(run.calls), seconds(run.load_and_jobs_s)],
        note: `peak RSS ${run.peak_rss_mib.toFixed(0)} MiB; spend ${run.spend_usd} USD reconciled to the nano-dollar`,
      },
    );
  const postgresTable = (run: SizeRun) =>
    renderComparisons(run.postgres ?? [], `the same SQL on PostgreSQL 15, ${formatCount(run.calls)} calls (hot; median of 3)`);
  const base = histories[0];
  const historyTable = renderTable(
    [
      { header: 'daily run', value: (r: { name: string; seconds: number[] }) => r.name },
      ...histories.map((h, i) => ({ header: `${h.days} days s`, align: 'right' as const, value: (r: { seconds: number[] }) => seconds(r.seconds[i]!) })),
      { header: 'ratio', align: 'right', value: (r) => (r.seconds.length > 1 ? `${(r.seconds.at(-1)! / r.seconds[0]!).toFixed(2)}x` : '') },
    ],
    (base?.steps ?? []).map((s, i) => ({ name: s.name, seconds: histories.map((h) => h.steps[i]!.seconds) })),
    { title: `a daily run on more history: ${formatCount(Number(values['history-calls-per-day']))} calls a day (median of 3)` },
  );

  const ten = sizes.find((s) => s.calls === 10_000_000);
  const fifty = sizes.find((s) => s.calls === 50_000_000);
  const rollupVs = [...sizes].reverse().find((s) => s.postgres)?.postgres?.find((c) => c.query.startsWith('rollup'));
  const detectStep = (h: HistoryRun) => h.steps.find((step) => step.name.startsWith('detect'))!.seconds;
  const detectRatio = histories.length > 1 ? detectStep(histories.at(-1)!) / detectStep(base!) : null;
  const headline = [
    ...(rollupVs ? [`rollup vs PostgreSQL: ${rollupVs.ratio.toFixed(1)}x`] : []),
    ...(ten ? [`10M calls, load + all jobs: ${seconds(ten.load_and_jobs_s)} s`] : []),
  ];
  const target = (label: string, met: boolean | null, detail: string) => `| ${label} | ${met === null ? 'not measured' : met ? 'met' : 'missed'} | ${detail} |`;
  const targets = [
    '| target | | measured |',
    '|---|---|---|',
    target('load + all jobs on 10M calls under 20 s', ten ? ten.load_and_jobs_s < 20 : null, ten ? `${seconds(ten.load_and_jobs_s)} s` : ''),
    target('50M calls under 6 GiB RSS', fifty ? fifty.peak_rss_mib < 6144 : null, fifty ? `${fifty.peak_rss_mib.toFixed(0)} MiB` : ''),
    target('rollup at least 10x faster than PostgreSQL', rollupVs ? rollupVs.ratio >= 10 : null, rollupVs ? `${rollupVs.ratio.toFixed(1)}x` : ''),
    target(`a daily detect run on ${histories.at(-1)?.days ?? 365} days within 1.5x of ${base?.days ?? 30} days`, detectRatio === null ? null : detectRatio <= 1.5, detectRatio === null ? '' : `${detectRatio.toFixed(2)}x`),
  ];
  const blocks = [
    ...sizes.flatMap((s) => [stepTable(s), ...(s.postgres ? [postgresTable(s)] : [])]),
    ...(histories.length ? [historyTable] : []),
  ];
  const text = [...blocks, '', ...headline].join('\n\n');
  const markdown = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}; DuckDB's memory_limit ${values['memory-limit']}.`,
    `Command: \`${['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ')}\`.`,
    '',
    ...headline.flatMap((line) => [line, '']),
    '',
    ...targets,
    '',
    ...blocks.map((block) => '```\n' + block + '\n```\n'),
    readmeNotes(),
  ].join('\n');
  return { text, markdown };
}

/** What the figures mean: kept in bench/results-notes.md, which a person edits, and appended to the results. */
function readmeNotes(): string {
  const notes = join('bench', 'results-notes.md');
  return existsSync(notes) ? readFileSync(notes, 'utf8') : '';
}
