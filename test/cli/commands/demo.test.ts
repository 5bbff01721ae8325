import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../../support/cli.js';
import { useFakeSlack } from '../../support/fake-slack.js';
import { tempFolder } from '../../support/tmp.js';

/** The demo ends with the weekly digest as a person reads it, and never posts it, whatever the shell holds. */
describe('ai-finops demo', () => {
  const slack = useFakeSlack();
  const folder = tempFolder();
  afterAll(() => folder.remove());
  afterEach(() => vi.unstubAllEnvs());

  it('prints the digest as text last and writes its payload under --out, without posting even with a token set', async () => {
    vi.stubEnv('SLACK_BOT_TOKEN', 'xoxb-from-the-shell');
    vi.stubEnv('SLACK_API_URL', slack().apiUrl);
    const out = join(folder.dir, 'out');
    const { code, stdout } = await cli('demo', '--db', join(folder.dir, 'demo.duckdb'), '--days', '21', '--as-of', '2026-11-23', '--out', out);
    expect(code).toBe(0);
    const digest = stdout.slice(stdout.lastIndexOf('Weekly AI spend: 2026-11-16 to 2026-11-22'));
    expect(digest).toMatch(/^Weekly AI spend: 2026-11-16 to 2026-11-22\n═+\n/);
    expect(digest).toContain('support_bot');
    expect(digest.trimEnd().split('\n').at(-1)).toBe(`→ digest:2026-11-16: not posted (no Slack token in this run); written to ${join(out, 'digest_2026-11-16.json')}.`);
    expect(JSON.parse(readFileSync(join(out, 'digest_2026-11-16.json'), 'utf8')).kind).toBe('digest');
    expect(slack().requests).toEqual([]);
    expect(existsSync(join(folder.dir, 'demo.duckdb'))).toBe(true);
  }, 120_000);
});
