/**
 * `npm run bench:forecast`: the forecaster's backtest and speed benchmark (issue 3).
 *
 *   node dist/bench/forecast.js [--quick] [--no-speed] [--export FILE.csv] [--results FILE.md]
 *
 * 1. Rolling-origin backtest (bench/backtest.ts) on generated daily spend series with known structure
 *    (bench/synthetic-series.ts) and on classic public series (bench/classic-series.ts): MASE, sMAPE and the
 *    coverage of the 80% and 95% intervals, per group and per step ahead, for our ETS against the naive and
 *    seasonal naive baselines. Where bench/forecast-ets-reference.json exists (made by bench/forecast-ets.R with R's
 *    forecast::ets on the series --export writes), R's figures are printed beside ours.
 * 2. Speed: 1,000 daily series of 400 days, each refitted with 1,000 sample paths over four months and the
 *    intervals of its four month totals, on two worker threads.
 *
 * Prints readable tables and writes them, with the machine, to bench/forecast-results.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { renderTable } from '../functions/format/table.js';
import { forecastSeries, forecastSum } from '../functions/forecast/forecast-series.js';
import { backtestSeries, summarize, type BacktestSeries, type Method, type OriginResult, type Summary } from './backtest.js';
import { classicSeries } from './classic-series.js';
import { scenarioSeries, scenarios, syntheticSeries } from './synthetic-series.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** The backtest's series: the generated daily ones and the classic ones, with their horizons and origins. */
export function backtestSet(quick: boolean): BacktestSeries[] {
  const synthetic = syntheticSeries(quick ? 4 : 12).map<BacktestSeries>((s) => ({
    name: s.name,
    group: s.scenario === 'new feature (short)' ? 'daily, short history' : 'daily, synthetic',
    period: 7,
    values: s.values,
    horizon: 28,
    origins: 4,
    step: 7,
  }));
  const classic = classicSeries.map<BacktestSeries>((s) => {
    const monthly = s.frequency === 12;
    const quarterly = s.frequency === 4;
    return {
      name: s.name,
      group: monthly ? 'monthly, classic' : quarterly ? 'quarterly, classic' : 'yearly, classic',
      period: s.frequency,
      values: s.values,
      horizon: monthly ? 18 : quarterly ? 8 : 6,
      origins: 6,
      step: monthly ? 6 : quarterly ? 2 : 2,
    };
  });
  return [...synthetic, ...classic];
}

interface Reference {
  /** R's figures per group: summaries, overall and per step bucket. */
  groups: Record<string, { all: Partial<Summary>; buckets: Record<string, Partial<Summary>> }>;
  version: string;
}

function pct(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)}%`;
}
function num(x: number | undefined, digits = 3): string {
  return x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits);
}

/** Step buckets for a horizon: four bands of equal width. */
function buckets(horizon: number): { label: string; from: number; to: number }[] {
  const edges = [0, 1, 2, 3, 4].map((q) => Math.round((q * horizon) / 4));
  return [0, 1, 2, 3].map((q) => ({ label: `h ${edges[q]! + 1}-${edges[q + 1]}`, from: edges[q]! + 1, to: edges[q + 1]! }));
}

function runBacktest(set: BacktestSeries[], reference: Reference | undefined): string[] {
  const out: string[] = [];
  const results: OriginResult[] = [];
  const started = performance.now();
  for (const series of set) results.push(...backtestSeries(series));
  const seconds = (performance.now() - started) / 1000;
  const groups = [...new Set(set.map((s) => s.group))];

  type Line = { group: string; method: string; s: Partial<Summary> };
  const lines: Line[] = [];
  for (const group of groups) {
    for (const method of ['ets', 'seasonal naive', 'naive'] as Method[]) {
      lines.push({ group, method: method === 'ets' ? 'ai-finops ETS' : method, s: summarize(results.filter((r) => r.group === group && r.method === method)) });
    }
    const r = reference?.groups[group]?.all;
    if (r) lines.push({ group, method: "R forecast::ets", s: r });
  }
  const overall = (method: Method) => summarize(results.filter((r) => r.method === method));
  out.push(
    renderTable<Line>(
      [
        { header: 'series', value: (l) => l.group },
        { header: 'method', value: (l) => l.method },
        { header: 'series', align: 'right', value: (l) => String(l.s.series ?? '–') },
        { header: 'MASE', align: 'right', value: (l) => num(l.s.mase) },
        { header: 'sMAPE', align: 'right', value: (l) => num(l.s.smape, 2) },
        { header: 'in 80%', align: 'right', value: (l) => pct(l.s.coverage80) },
        { header: 'in 95%', align: 'right', value: (l) => pct(l.s.coverage95) },
        { header: 'total in 80%', align: 'right', value: (l) => pct(l.s.sumCoverage80) },
        { header: 'total in 95%', align: 'right', value: (l) => pct(l.s.sumCoverage95) },
      ],
      lines,
      {
        title: 'Rolling-origin backtest: accuracy and interval coverage (nominal 80% and 95%)',
        footer: ['all', 'ai-finops ETS', String(overall('ets').series), num(overall('ets').mase), num(overall('ets').smape, 2), pct(overall('ets').coverage80), pct(overall('ets').coverage95), pct(overall('ets').sumCoverage80), pct(overall('ets').sumCoverage95)],
        note:
          `MASE: mean absolute error over the in-sample seasonal naive error (mean over series); sMAPE in percent. "total": ` +
          `the sum over the whole horizon against the interval of the simulated sums. ${results.length} forecasts in ${seconds.toFixed(1)} s.`,
      },
    ),
  );

  // the month-end view: totals over the horizon (28 days for the daily series), with the sampling error of a share
  type TotalLine = { group: string; method: string; s: Summary };
  const totalLines: TotalLine[] = [];
  for (const group of groups) {
    for (const method of ['ets', 'seasonal naive'] as Method[]) {
      totalLines.push({ group, method: method === 'ets' ? 'ai-finops ETS' : method, s: summarize(results.filter((r) => r.group === group && r.method === method)) });
    }
  }
  const shareWithError = (share: number, n: number) => `${pct(share)} ± ${(100 * Math.sqrt((share * (1 - share)) / Math.max(n, 1))).toFixed(1)}`;
  out.push(
    renderTable<TotalLine>(
      [
        { header: 'series', value: (l) => l.group },
        { header: 'method', value: (l) => l.method },
        { header: 'totals', align: 'right', value: (l) => String(l.s.forecasts) },
        { header: 'steps', align: 'right', value: (l) => String(set.find((x) => x.group === l.group)!.horizon) },
        { header: 'total in 80%', align: 'right', value: (l) => shareWithError(l.s.sumCoverage80, l.s.forecasts) },
        { header: 'below', align: 'right', value: (l) => pct(l.s.sumBelow80) },
        { header: 'above', align: 'right', value: (l) => pct(l.s.sumAbove80) },
        { header: 'total in 95%', align: 'right', value: (l) => shareWithError(l.s.sumCoverage95, l.s.forecasts) },
        { header: '80% width', align: 'right', value: (l) => pct(l.s.sumWidth80) },
        { header: 'steps in 80%', align: 'right', value: (l) => pct(l.s.coverage80) },
        { header: 'steps in 95%', align: 'right', value: (l) => pct(l.s.coverage95) },
      ],
      totalLines,
      {
        title: 'Totals over the horizon (the month-end number): coverage of the intervals of the simulated sums (nominal 80% and 95%)',
        note:
          'One total per series and origin: the actual sum over all the steps ahead against the quantiles of the sample paths\' sums. ' +
          '"± ": one binomial standard error of the share (origins of a series overlap, so the true error is larger). ' +
          '"below"/"above": actual totals outside the 80% interval on each side. "80% width": median width of that interval over the forecast total. ' +
          'Per-step coverage beside it for comparison.',
      },
    ),
  );

  type BucketLine = { group: string; bucket: string; s: Summary; r?: Partial<Summary> };
  const bucketLines: BucketLine[] = [];
  for (const group of groups) {
    const horizon = set.find((s) => s.group === group)!.horizon;
    for (const b of buckets(horizon)) {
      const s = summarize(results.filter((r) => r.group === group && r.method === 'ets'), b);
      bucketLines.push({ group, bucket: b.label, s, r: reference?.groups[group]?.buckets[b.label] });
    }
  }
  out.push(
    renderTable<BucketLine>(
      [
        { header: 'series', value: (l) => l.group },
        { header: 'steps ahead', value: (l) => l.bucket },
        { header: 'MASE', align: 'right', value: (l) => num(l.s.mase) },
        { header: 'sMAPE', align: 'right', value: (l) => num(l.s.smape, 2) },
        { header: 'in 80%', align: 'right', value: (l) => pct(l.s.coverage80) },
        { header: 'in 95%', align: 'right', value: (l) => pct(l.s.coverage95) },
        { header: 'R MASE', align: 'right', value: (l) => num(l.r?.mase) },
        { header: 'R in 80%', align: 'right', value: (l) => pct(l.r?.coverage80) },
        { header: 'R in 95%', align: 'right', value: (l) => pct(l.r?.coverage95) },
      ],
      bucketLines,
      { title: 'ai-finops ETS by steps ahead (R forecast::ets beside it where the reference file exists)' },
    ),
  );

  const chosen = new Map<string, number>();
  for (const r of results) if (r.method === 'ets') chosen.set(r.chosen, (chosen.get(r.chosen) ?? 0) + 1);
  out.push(
    'Methods chosen: ' +
      [...chosen.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([m, c]) => `${m} ${c}`)
        .join(', '),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Speed: the weekly refit's work for 1,000 daily series of 400 days, on two threads.

const speedSeries = 1000;
const speedDays = 400;
const speedHorizon = 120;
const speedPaths = 1000;

/** The work of one series in the weekly job: refit, simulate four months, intervals of four monthly totals. */
function refitOne(values: number[]): void {
  const forecast = forecastSeries(values, { horizon: speedHorizon, season: 7, paths: speedPaths, keepPaths: true, stepIntervals: false });
  for (const [from, to] of [[0, 27], [27, 58], [58, 88], [88, 119]] as const) forecastSum(forecast, { from, to }, 0, [80, 95]);
}

/** The speed benchmark's series `index`: the backtest's long-history scenarios in turn, 400 days each. */
function speedSeriesValues(index: number): number[] {
  const names = Object.keys(scenarios).filter((s) => s !== 'new feature (short)');
  return scenarioSeries(names[index % names.length]!, speedDays, 900_000 + index);
}

async function speedBenchmark(threads: number): Promise<{ seconds: number; series: number; perSeriesMs: number }> {
  const started = performance.now();
  const chunk = Math.ceil(speedSeries / threads);
  const counts = await Promise.all(
    Array.from({ length: threads }, (_, w) =>
      new Promise<number>((resolve, reject) => {
        const worker = new Worker(fileURLToPath(import.meta.url), {
          workerData: { from: w * chunk, to: Math.min(speedSeries, (w + 1) * chunk) },
        });
        worker.once('message', (n: number) => resolve(n));
        worker.once('error', reject);
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const series = counts.reduce((a, b) => a + b, 0);
  return { seconds, series, perSeriesMs: (1000 * seconds * threads) / series };
}

function workerMain(): void {
  const { from, to } = workerData as { from: number; to: number };
  for (let i = from; i < to; i++) refitOne(speedSeriesValues(i));
  parentPort!.postMessage(to - from);
}

// ---------------------------------------------------------------------------------------------------------------

function exportCsv(set: BacktestSeries[], file: string): void {
  const lines = ['name,group,period,horizon,origins,step,t,value'];
  for (const s of set) s.values.forEach((v, t) => lines.push(`"${s.name}","${s.group}",${s.period},${s.horizon},${s.origins},${s.step},${t + 1},${v}`));
  writeFileSync(file, lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  const quick = flag('--quick');
  const set = backtestSet(quick);
  const exportFile = value('--export');
  if (exportFile) {
    exportCsv(set, exportFile);
    console.log(`wrote ${set.length} series to ${exportFile}`);
    return;
  }
  const referenceFile = join(repoRoot, 'bench', 'forecast-ets-reference.json');
  const reference = existsSync(referenceFile) && !quick ? (JSON.parse(readFileSync(referenceFile, 'utf8')) as Reference) : undefined;
  const sections = runBacktest(set, reference);
  for (const s of sections) console.log(s + '\n');

  let speed = '';
  if (!flag('--no-speed')) {
    const threads = 2;
    const result = await speedBenchmark(threads);
    speed =
      `Speed: ${result.series} daily series of ${speedDays} days, each refitted (model selection over the ETS family), ` +
      `${speedPaths} sample paths over ${speedHorizon} days and the 80%/95% intervals of four monthly totals: ` +
      `${result.seconds.toFixed(2)} s on ${threads} worker threads (${result.perSeriesMs.toFixed(1)} ms per series per thread).`;
    console.log(speed + '\n');
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const resultsFile = value('--results') ?? join(repoRoot, 'bench', 'forecast-results.md');
  if (!quick) {
    writeFileSync(
      resultsFile,
      [
        '# Forecast backtest and speed',
        '',
        `Made by \`npm run bench:forecast\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}.`,
        reference ? `R reference: ${reference.version} (bench/forecast-ets.R on the same series and origins).` : '',
        '',
        '```',
        ...sections.map((s) => s + '\n'),
        speed,
        '```',
        '',
      ].join('\n'),
    );
    console.log(`wrote ${resultsFile}`);
  }
}

if (isMainThread) await main();
else workerMain();
