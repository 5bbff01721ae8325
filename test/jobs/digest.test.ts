import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDigest } from '../../functions/jobs/digest.js';
import { runRollup } from '../../functions/jobs/rollup.js';
import { slacklessDelivery } from '../../functions/slack/delivery-settings.js';
import { cli } from '../support/cli.js';
import { useFakeSlack } from '../support/fake-slack.js';
import { testLedger } from '../support/ledger.js';
import { ndjson, tempFolder } from '../support/tmp.js';
import { slackContext } from '../slack/delivery-support.js';

/** The weekly digest job: built from a real ledger, delivered once through the real client to a fake Slack. */

type Ledger = Awaited<ReturnType<typeof testLedger>>;

const hostile = '<!channel> *free* <https://evil.example|click>';

/** Two weeks of calls for two features, one with a hostile name, ending Sunday 2026-11-22. */
function calls(): object[] {
  const records = [];
  for (let d = 9; d <= 22; d++) {
    const day = `2026-11-${String(d).padStart(2, '0')}`;
    records.push({ ts: `${day}T10:00:00Z`, call_id: `s${d}`, feature: 'support_bot', segment: 'pro', model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 100, cost_usd: d >= 16 ? '2.00' : '1.00' });
    records.push({ ts: `${day}T11:00:00Z`, call_id: `h${d}`, feature: hostile, segment: 'pro', model: 'gpt-4o-mini', input_tokens: 100, output_tokens: 10, cost_usd: '0.10' });
  }
  return records;
}

const slack = useFakeSlack();

describe('the digest job', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await testLedger();
    await ledger.loadCalls(calls());
    await runRollup(ledger.context('2026-11-23'));
  });
  afterEach(() => ledger.close());

  const context = (o: { force?: boolean; now?: string } = {}) => slackContext(ledger.engine, { apiUrl: slack().apiUrl, ...o });

  it("posts the week's digest with its blocks to the default channel", async () => {
    const result = await runDigest(context());
    const [post] = slack().posts;
    expect(post!.form.channel).toBe('#ai-finops');
    expect(post!.form.text).toMatch(/^AI spend 2026-11-16 to 2026-11-22: \$14\.70/);
    expect(post!.form.blocks[0]).toEqual({ type: 'header', text: expect.objectContaining({ text: 'Weekly AI spend: 2026-11-16 to 2026-11-22' }) });
    expect(result).toMatchObject({ job: 'digest', as_of: '2026-11-23', week: { from: '2026-11-16', to: '2026-11-23' } });
    expect(result.messages).toEqual([expect.objectContaining({ key: 'digest:2026-11-16', outcome: 'posted', text: expect.stringContaining('Weekly AI spend') })]);
  });

  it('posts one digest a week however often it runs, and again only with --force', async () => {
    await runDigest(context());
    const again = await runDigest(context({ now: '2026-11-23T09:05:00Z' }));
    expect(slack().posts).toHaveLength(1);
    expect(again.messages[0]!.outcome).toBe('already sent');
    await runDigest(context({ force: true, now: '2026-11-23T09:10:00Z' }));
    expect(slack().posts).toHaveLength(2);
  });

  it('sends a hostile feature name escaped, so it cannot ping the channel or carry a link', async () => {
    await runDigest(context());
    const sent = JSON.stringify(slack().posts[0]!.form);
    expect(sent).not.toContain('<!channel>');
    expect(sent).not.toContain('<https://evil');
    expect(sent).toContain('&lt;!channel&gt;');
  });

  it('writes the payload and returns the text without a token, and posts nothing', async () => {
    const folder = tempFolder();
    try {
      const result = await runDigest({ ...ledger.context('2026-11-23'), delivery: slacklessDelivery(folder.dir) });
      const payload = JSON.parse(readFileSync(join(folder.dir, 'digest_2026-11-16.json'), 'utf8'));
      expect(payload.blocks[0].text.text).toBe('Weekly AI spend: 2026-11-16 to 2026-11-22');
      expect(result.messages[0]).toMatchObject({ outcome: 'written', text: expect.stringContaining('Weekly AI spend: 2026-11-16 to 2026-11-22') });
      expect(slack().requests).toEqual([]);
    } finally {
      folder.remove();
    }
  });
});

describe('ai-finops run digest', () => {
  const folder = tempFolder();
  afterAll(() => folder.remove());
  afterEach(() => vi.unstubAllEnvs());

  async function ledgerFile(name: string): Promise<string> {
    const path = join(folder.dir, name);
    const file = folder.file(`${name}.ndjson`, ndjson(calls()));
    expect((await cli('load', '--db', path, '--calls', file)).code).toBe(0);
    expect((await cli('run', 'rollup', '--db', path, '--as-of', '2026-11-23')).code).toBe(0);
    return path;
  }

  it('prints the digest as text and writes its payload under --out when no token is set', async () => {
    vi.stubEnv('SLACK_BOT_TOKEN', '');
    const db = await ledgerFile('slackless.duckdb');
    const out = join(folder.dir, 'out');
    const { code, stdout } = await cli('run', 'digest', '--db', db, '--as-of', '2026-11-23', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toContain('Weekly AI spend: 2026-11-16 to 2026-11-22');
    expect(stdout).toContain(`→ digest:2026-11-16: not posted (no Slack token in this run); written to ${join(out, 'digest_2026-11-16.json')}.`);
    expect(JSON.parse(readFileSync(join(out, 'digest_2026-11-16.json'), 'utf8')).key).toBe('digest:2026-11-16');
  });

  it('posts with a token, exits 1 once when Slack refuses, skips it after, and posts it again only with --force', async () => {
    vi.stubEnv('SLACK_BOT_TOKEN', 'xoxb-cli');
    vi.stubEnv('SLACK_API_URL', slack().apiUrl);
    vi.stubEnv('SLACK_CHANNEL', '#costs');
    const db = await ledgerFile('slack.duckdb');
    slack().answerNext('chat.postMessage', { status: 200, body: { ok: false, error: 'not_in_channel' } });
    const failed = await cli('run', 'digest', '--db', db, '--as-of', '2026-11-23', '--json');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('digest:2026-11-16: the bot is not in #costs (not_in_channel): invite the bot');

    const skipped = await cli('run', 'digest', '--db', db, '--as-of', '2026-11-23');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('→ digest:2026-11-16: not delivered, refused by Slack: the bot is not in #costs');
    expect(slack().posts).toHaveLength(0);

    const requeued = await cli('run', 'digest', '--db', db, '--as-of', '2026-11-23', '--json', '--force');
    expect(requeued.code).toBe(0);
    expect(JSON.parse(requeued.stdout)).toMatchObject({ job: 'digest', messages: [{ key: 'digest:2026-11-16', outcome: 'posted', channel: slack().channelIds.get('#costs') }] });
    expect(slack().posts).toHaveLength(1);

    const again = await cli('run', 'digest', '--db', db, '--as-of', '2026-11-23');
    expect(again.stdout).toContain('→ digest:2026-11-16: already posted to');
    const forced = await cli('run', 'digest', '--db', db, '--as-of', '2026-11-23', '--force');
    expect(forced.code).toBe(0);
    expect(slack().posts).toHaveLength(2);
  });
});

