import nodeSqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { render } from '../../functions/sql/dialect.js';
import { upsertStatement } from '../../functions/sql/upsert.js';

/** The one MERGE that writes a table in place, by its unique key (the findings, the Slack deliveries). */
describe('the MERGE of rows by a table’s unique key', () => {
  it('merges deliveries on their key, counts cast from text, and its rows parse as BigQuery SQL', () => {
    const { sql, params } = upsertStatement('deliveries', [{ key: 'digest:2026-11-16', attempts: '2', posts: '1', created_at: '2026-11-23T09:00:00Z' }]);
    const rendered = render(sql, 'bigquery', (name) => '`proj.ds.' + name + '`');
    expect(rendered).toMatch(/^merge into `proj\.ds\.deliveries` as target\n/);
    expect(rendered).toContain('on target.key = source.key');
    expect(rendered).toContain('cast(@r0_attempts as int64) as attempts');
    expect(rendered).not.toMatch(/update set key =/);
    expect(params).toMatchObject({ r0_key: 'digest:2026-11-16', r0_attempts: '2', r0_slack_ts: null });
    const source = rendered.slice(rendered.indexOf('(\n') + 2, rendered.indexOf('\n) as source'));
    expect(() => new nodeSqlParser.Parser().astify(source, { database: 'BigQuery' })).not.toThrow();
  });

  it('refuses a table with no unique key to merge on', () => {
    expect(() => upsertStatement('calls_by_day', [{}])).toThrow('the calls_by_day table has no unique key to MERGE on');
  });
});
