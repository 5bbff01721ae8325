import type { FinopsConfig } from '../config/finops-config.js';
import type { Engine, Params, Row } from '../engine/engine.js';
import type { DetectedFinding, FindingKind } from '../findings/finding.js';
import { sqlFile } from '../sql/files.js';
import { addDays, type DayRange } from '../time/days.js';

/**
 * What a detector is: a named function from a bounded window of the ledger to findings of its kinds. Detectors read
 * through a DetectReader, which runs each query (file and parameters) once per job run, so `detect` reads each
 * shared grain once however many detectors look at it.
 */

export interface DetectContext {
  engine: Engine;
  config: FinopsConfig;
  /** The run's as-of day: the window ends the day before it. */
  asOf: string;
  now: () => Date;
  reader: DetectReader;
  /** The job the detector runs in, for query labels. */
  job: string;
}

export interface Detector {
  /** The detector's name, for progress and query labels. */
  name: string;
  /** The kinds it reports, and so resolves when it no longer sees them. */
  kinds: readonly FindingKind[];
  /** False for a detector that reads none of calls_by_hour: a job of only such detectors skips its refresh. */
  readsHours?: false;
  /** Days of ledger it judges, ending the day before the as-of day. */
  lookbackDays: (config: FinopsConfig) => number;
  detect: (context: DetectContext) => Promise<DetectedFinding[]>;
}

/** The half-open window [asOf - days, asOf). */
export function lookbackWindow(asOf: string, days: number): DayRange {
  return { from: addDays(asOf, -days), to: asOf };
}

/** Runs queries from sql/ once per job run: the same file with the same parameters returns the same rows. */
export class DetectReader {
  private readonly cache = new Map<string, Promise<Row[]>>();

  constructor(
    private readonly engine: Engine,
    private readonly job: string,
  ) {}

  private readonly derivations = new Map<string, Promise<unknown>>();

  /** A value computed once per run from the rows (a derived grain): `compute` runs on first use. */
  derived<T>(name: string, compute: () => Promise<T>): Promise<T> {
    let value = this.derivations.get(name) as Promise<T> | undefined;
    if (!value) {
      value = compute();
      this.derivations.set(name, value);
    }
    return value;
  }

  /** `labels` add to the job label: `feature` for a read about one feature, so its bytes are billed to it. */
  rows(file: string, params: Params, labels: Record<string, string> = {}): Promise<Row[]> {
    const id = JSON.stringify([file, Object.entries(params).sort(([a], [b]) => a.localeCompare(b))]);
    let rows = this.cache.get(id);
    if (!rows) {
      rows = this.engine.query(sqlFile(file), params, { labels: { ...labels, job: this.job } });
      this.cache.set(id, rows);
      rows.catch(() => this.cache.delete(id));
    }
    return rows;
  }
}
