import { describe, expect, it } from 'vitest';
import { callProblemMarker, callProblemSql, callRules, reasonParts, type CallRule } from '../../functions/ledger/call-rules.js';
import { sqlFile } from '../../functions/sql/files.js';

/** The field literal of each WHEN of a generated CASE, in order. */
function fieldsOf(sql: string): string[] {
  return [...sql.matchAll(/then \{'field': ('[^']*'|unknown_fields\[1\])/g)].map((m) => m[1]!);
}

describe('the rules of a valid call', () => {
  it('have one place in validate_calls.sql, which the loader fills with their CASE', () => {
    const lines = sqlFile('duckdb/validate_calls.sql').split('\n');
    expect(lines.filter((line) => line.trim() === callProblemMarker)).toHaveLength(1);
  });

  it('compile to one WHEN per rule, in the order they are declared, so the first failing rule is the one reported', () => {
    const sql = callProblemSql();

    expect(sql.match(/^\s*when /gm)).toHaveLength(callRules.length);
    expect(fieldsOf(sql)).toEqual(callRules.map((rule) => (rule.check.kind === 'unknown_field' ? 'unknown_fields[1]' : `'${rule.field}'`)));
  });

  it('write a reason with the quoted value and the counts the SQL fills in', () => {
    const rules: CallRule[] = [
      { field: 'attempt', check: { kind: 'whole', min: 1, optional: true }, reason: "{value} isn't one" },
      { field: 'cached_input_tokens', check: { kind: 'cache_within_input' }, reason: '{cached_input_tokens} of {input_tokens}' },
    ];
    const sql = callProblemSql(rules);

    expect(sql).toContain(`when attempt_raw is not null and (attempt is null or attempt < 1 or attempt <> floor(attempt))`);
    expect(sql).toContain(`'"' || left(cast(attempt_raw as varchar), 40) || '" isn''t one'`);
    expect(sql).toContain(`cast(cast(coalesce(cached_input_tokens, 0) as hugeint) as varchar) || ' of ' || cast(cast(coalesce(input_tokens, 0) as hugeint) as varchar)`);
    expect(reasonParts('{value} is {x}')).toEqual([{ text: '{value}', placeholder: 'value' }, { text: ' is ' }, { text: '{x}', placeholder: 'x' }]);
  });
});
