import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../functions/config/finops-config.js';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { withLabels } from '../../functions/engine/labelled.js';
import { RecordingEngine } from '../../functions/engine/recording.js';
import { jobs } from '../../functions/jobs/registry.js';

describe('an engine with labels', () => {
  it('adds them to every query and range replacement, over the labels the caller set', async () => {
    const recording = new RecordingEngine(await DuckDBEngine.open());
    await recording.ensureTables();
    const engine = withLabels(recording, { job: 'detect' });
    await engine.query('select 1 as one', {}, { labels: { job: 'findings', feature: 'support' } });
    await engine.replaceRange('calls_by_day', { from: '2026-03-01', to: '2026-03-02' }, 'select * from calls_by_day where false');
    expect(recording.statements.map((s) => s.labels)).toEqual([{ job: 'detect', feature: 'support' }, { job: 'detect' }]);
    await engine.close();
  });

  it("is how every query a job sends, the shared findings and delivery reads included, carries the job's name", async () => {
    const recording = new RecordingEngine(await DuckDBEngine.open());
    await recording.ensureTables();
    for (const name of ['detect', 'digest']) {
      recording.statements.length = 0;
      await jobs[name]!.run({ engine: recording, config: defaultConfig, asOf: '2026-11-02', now: () => new Date('2026-11-02T06:00:00Z') });
      const templates = recording.statements.map((s) => s.template).join('\n');
      expect(templates).toContain('{{ table(findings) }}');
      expect(new Set(recording.statements.map((s) => s.labels.job))).toEqual(new Set([name]));
    }
    await recording.close();
  });
});
