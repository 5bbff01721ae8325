/**
 * Benchmark: load and roll up N synthetic calls on DuckDB, then run the forecast and detector jobs over them (a
 * benchmark, not a test: `npm run bench`).
 *
 *   npm run bench                      # 10 million calls, Parquet
 *   npm run bench -- --calls 1000000 --format ndjson
 *
 * Prints the time of each step, rows per second and the peak resident memory of the process. The targets: load +
 * rollup of 10M calls in under 15 s on 2 cores, under 2 GiB RSS (issue 2); the detectors in seconds (issue 4).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultConfig } from '../functions/config/finops-config.js';
import { writeWorkload, type WorkloadFormat } from '../functions/demo/workload.js';
import { DuckDBEngine } from '../functions/engine/duckdb.js';
import { formatCount, renderTable } from '../functions/format/table.js';
import { jobs } from '../functions/jobs/registry.js';
import { runRollup } from '../functions/jobs/rollup.js';
import { loadFile } from '../functions/ledger/load.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000000' },
    format: { type: 'string', default: 'parquet' },
    days: { type: 'string', default: '90' },
    dir: { type: 'string', default: 'bench/data' },
  },
});
const target = Number(values.calls);
const days = Number(values.days);
const format = values.format as WorkloadFormat;
const endDate = '2026-11-01';
/** The generator makes about 3,430 calls a day at scale 1. */
const scale = target / (days * 3430);

const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;
const seconds = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await work();
  return [result, (performance.now() - start) / 1000];
};

mkdirSync(values.dir, { recursive: true });
const dataDir = join(values.dir, `${target}-${format}`);
const generator = await DuckDBEngine.open();
const [files, generateSeconds] = await seconds(() =>
  writeWorkload(generator, { dir: dataDir, days, endDate, seed: 1, scale, format, ordered: false }),
);
await generator.close();
const afterGenerate = peakRssMiB();

const dbPath = join(values.dir, 'bench.duckdb');
for (const path of [dbPath, dbPath + '.wal']) if (existsSync(path)) rmSync(path);
const engine = await DuckDBEngine.open(dbPath);
await engine.ensureTables();
const [calls, loadCallsSeconds] = await seconds(() => loadFile(engine, 'calls', files.callsFile));
const [outcomes, loadOutcomesSeconds] = await seconds(() => loadFile(engine, 'outcomes', files.outcomesFile));
const context = { engine, config: defaultConfig, asOf: endDate, now: () => new Date() };
const [rollup, rollupSeconds] = await seconds(() => runRollup(context));
const [, rerunSeconds] = await seconds(() => runRollup(context));
const jobSeconds: [string, number][] = [];
for (const name of ['forecast', 'detect', 'anomaly-scan']) {
  const [, s] = await seconds(() => jobs[name]!.run(context));
  jobSeconds.push([name, s]);
}
await engine.close();

const total = loadCallsSeconds + loadOutcomesSeconds + rollupSeconds;
const step = (name: string, rows: number, s: number) => ({ name, rows, s });
const steps = [
  step(`load calls (${format})`, calls.rows_read, loadCallsSeconds),
  step('load outcomes', outcomes.rows_read, loadOutcomesSeconds),
  step(`rollup (first run, ${rollup.days} days)`, rollup.calls, rollupSeconds),
  step('rollup (daily rerun, 3 days)', 0, rerunSeconds),
  ...jobSeconds.map(([name, s]) => step(`run ${name}`, 0, s)),
];
process.stdout.write(
  renderTable(
    [
      { header: 'step', value: (r: (typeof steps)[number]) => r.name },
      { header: 'rows', align: 'right', value: (r) => (r.rows ? formatCount(r.rows) : '') },
      { header: 'seconds', align: 'right', value: (r) => r.s.toFixed(2) },
      { header: 'rows/s', align: 'right', value: (r) => (r.rows ? formatCount(Math.round(r.rows / r.s)) : '') },
    ],
    steps,
    {
      title: `ai-finops load + rollup, ${formatCount(files.calls)} calls, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
      footer: ['load + rollup', formatCount(files.calls), total.toFixed(2), formatCount(Math.round(files.calls / total))],
      note: [
        `generating the workload took ${generateSeconds.toFixed(1)} s (not counted; peak RSS then ${afterGenerate.toFixed(0)} MiB)`,
        `peak RSS ${peakRssMiB().toFixed(0)} MiB; spend ${rollup.spend_usd} USD reconciled; ${formatCount(calls.unpriced)} unpriced calls`,
        `target: under 15 s and 2,048 MiB for 10M calls`,
      ].join('\n'),
    },
  ) + '\n',
);
