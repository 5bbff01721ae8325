import type { SectionBlock } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { buildAnomalyPage, buildResolvedReply } from '../../functions/slack/anomaly-page.js';
import type { SlackMessage } from '../../functions/slack/message.js';
import { messageText } from '../../functions/slack/text.js';
import { configFrom } from '../support/ledger.js';
import { finding, hostile } from './fixtures.js';
import { blockTexts, limitProblems } from './within-limits.js';

const config = configFrom('version: 1\nfeatures:\n  support_bot:\n    owner: team-support\n    slack_channel: "#support-costs"\n');

/** A spend anomaly as the hourly scan writes it: 09:00 to 12:00, $120 above the expected $30. */
const hourly = finding({
  severity: 'page',
  subject: 'segment=enterprise',
  first_seen: '2026-11-20T09:00:00Z',
  last_seen: '2026-11-20T11:00:00Z',
  impact_usd_month: '29220.000000000',
  summary: 'support_bot spent $150.00 on 2026-11-20 from 09:00 to 12:00 UTC against $30.00 expected for those hours (5.0x).',
  evidence: {
    grain: 'hour',
    days: ['2026-11-20'],
    spend_usd: '150.000000',
    expected_usd: '30.000000',
    excess_usd: '120.000000000',
    ratio: 5,
    robust_z: 7.5,
    root_cause: { dimension: 'segment', value: 'enterprise', excess_usd: '118.000000000', share: 0.98, usual_share: 0.3 },
    top_contributors: [
      { dimension: 'model', value: 'claude-sonnet-4', excess_usd: '119.000000000', share: 0.99, usual_share: 0.95 },
      { dimension: 'segment', value: 'enterprise', excess_usd: '118.000000000', share: 0.98, usual_share: 0.3 },
      { dimension: 'customer_id', value: 'cus_0007', excess_usd: '117.000000000', share: 0.97, usual_share: 0.01 },
    ],
  },
});

/** A retry storm as the detector writes it: 4 stormy hours, $8 of excess retry spend. */
const storm = finding({
  key: 'retry_storm:gpt-4o-mini:2026-11-15',
  kind: 'retry_storm',
  severity: 'page',
  feature: 'code_review',
  subject: 'gpt-4o-mini',
  first_seen: '2026-11-15T13:00:00Z',
  last_seen: '2026-11-15T16:00:00Z',
  impact_usd_month: '8.000000000',
  summary: 'gpt-4o-mini took 3.2 attempts per request (usually 1.02) on 2026-11-15 from 13:00 to 17:00 UTC, mostly in code_review.',
  evidence: {
    provider: 'openai',
    model: 'gpt-4o-mini',
    stormy_hours: 4,
    requests: 100,
    attempts: 320,
    attempts_per_request: 3.2,
    max_hourly_attempts_per_request: 3.6,
    usual_attempts_per_request: 1.02,
    retried_request_share: 0.78,
    usual_retried_request_share: 0.014,
    failed_attempts: 221,
    spend_usd: '12.000000',
    retry_spend_usd: '8.200000',
    retry_spend_share: 0.6833,
    usual_retry_spend_share: 0.014,
    excess_retry_spend_usd: '8.000000000',
  },
});

const sections = (m: SlackMessage) => m.blocks.filter((b): b is SectionBlock => b.type === 'section');
const field = (m: SlackMessage, label: string) =>
  sections(m).flatMap((s) => s.fields ?? []).find((f) => f.text.startsWith(`*${label}*\n`))?.text.slice(label.length + 3);

describe('the page of a spend anomaly', () => {
  const page = buildAnomalyPage(hourly, config);

  it("is keyed by the finding and the onset of its episode, and goes to its feature's channel", () => {
    expect(page).toMatchObject({ key: `page:spend_anomaly:support_bot:2026-11-20:${hourly.first_seen}`, kind: 'page', channel: '#support-costs' });
    expect(buildAnomalyPage(hourly, config, '2026-11-20T12:00:00Z').key).toBe('page:spend_anomaly:support_bot:2026-11-20:2026-11-20T12:00:00Z');
    expect(page.threadOf).toBeUndefined();
    expect(limitProblems(page)).toEqual([]);
  });

  it('says what, where, since when and the dollars an hour above normal', () => {
    // $120 of excess over the three hours 09:00, 10:00 and 11:00
    expect(page.blocks[0]).toMatchObject({ type: 'header', text: { text: '🔴 Spend anomaly, $40.00 an hour above normal' } });
    expect(sections(page)[0]!.text!.text).toBe(hourly.summary);
    expect(field(page, 'Where')).toBe('feature `support_bot`, model `claude-sonnet-4`, segment `enterprise`, customer `cus_0007`');
    expect(field(page, 'Since')).toBe('2026-11-20 09:00 UTC (last seen 2026-11-20 11:00 UTC)');
    expect(field(page, 'Burning')).toBe('$40.00 per hour above normal');
    expect(field(page, 'Monthly impact')).toBe('$29,220.00');
    expect(field(page, 'Owner')).toBe('team-support');
  });

  it('names the root cause among the top contributors, and what to check first for it', () => {
    const texts = sections(page).map((s) => s.text?.text ?? '');
    const cause = texts.find((t) => t.startsWith('*Root cause*'))!;
    expect(cause).toContain('• segment `enterprise`: 98% of the excess ($118.00), usually 30% of the spend ← the root cause');
    expect(cause).toContain('• customer `cus_0007`: 97% of the excess ($117.00), usually 1% of the spend');
    const checks = texts.find((t) => t.startsWith('*Check first*'))!.split('\n');
    expect(checks[1]).toMatch(/^1\. Segment `enterprise`'s traffic/);
    expect(checks[2]).toBe('2. Customer `cus_0007`, which carries most of the excess.');
  });

  it('checks the customer first when the customer is the root cause', () => {
    const byCustomer = buildAnomalyPage(
      finding({ ...hourly, evidence: { ...hourly.evidence, root_cause: { dimension: 'customer_id', value: 'cus_9', excess_usd: '100', share: 0.9, usual_share: 0.01 } } }),
      config,
    );
    const checks = sections(byCustomer).find((s) => s.text?.text.startsWith('*Check first*'))!.text!.text;
    expect(checks).toContain('1. Customer `cus_9`\'s traffic: a runaway integration or agent loop');
  });

  it('states a daily anomaly in dollars a day', () => {
    const daily = buildAnomalyPage(finding({ ...hourly, evidence: { ...hourly.evidence, grain: 'day', days: ['2026-11-20', '2026-11-21'], excess_usd: '300.000000000' } }), config);
    expect(field(daily, 'Burning')).toBe('$150.00 per day above normal');
  });

  it('goes to the default channel when its feature has none', () => {
    expect(buildAnomalyPage(finding({ ...hourly, feature: 'other' }), config).channel).toBeNull();
  });
});

describe('the page of a retry storm', () => {
  const page = buildAnomalyPage(storm, config);

  it('gives the model, the dollars an hour, the attempts behind it and the provider to check first', () => {
    expect(page.blocks[0]).toMatchObject({ text: { text: '🔴 Retry storm, $2.00 an hour above normal' } });
    expect(field(page, 'Where')).toBe('feature `code_review`, model `openai/gpt-4o-mini`');
    const texts = sections(page).map((s) => s.text?.text ?? '');
    const cause = texts.find((t) => t.startsWith('*Root cause*'))!;
    expect(cause).toContain('• 3.2 attempts per request (usually 1.02), up to 3.6 in its worst hour');
    expect(cause).toContain('• 78% of requests retried (usually 1.4%); 221 attempts failed');
    expect(texts.find((t) => t.startsWith('*Check first*'))).toContain("1. The provider's status page and error rates for `gpt-4o-mini`");
    expect(limitProblems(page)).toEqual([]);
  });
});

describe('the reply when a paged finding resolves', () => {
  it("answers in the page's thread with when it ended and what it cost in all, keyed by the same episode", () => {
    const reply = buildResolvedReply({ ...hourly, status: 'resolved', updated_at: '2026-11-21T03:00:00Z' }, '2026-11-20T09:00:00Z');
    expect(reply).toMatchObject({
      key: 'resolved:spend_anomaly:support_bot:2026-11-20:2026-11-20T09:00:00Z',
      kind: 'resolved',
      threadOf: 'page:spend_anomaly:support_bot:2026-11-20:2026-11-20T09:00:00Z',
      channel: null,
    });
    expect(messageText(reply)).toBe(
      '✅ Resolved: the spend anomaly in support_bot is over. Last seen 2026-11-20 11:00 UTC; resolved as of 2026-11-21 03:00 UTC. In all it cost $120.00 above normal.',
    );
  });

  it('counts the excess retry spend of a storm, and says nothing of cost when the evidence has none', () => {
    expect(buildResolvedReply(storm).text).toBe('Resolved: the retry storm in code_review is over; it cost $8.00 above normal.');
    expect(buildResolvedReply(finding({ evidence: {} })).text).toBe('Resolved: the spend anomaly in support_bot is over.');
  });
});

describe('hostile names in a page', () => {
  it('are escaped everywhere, so the page pings nobody and links nowhere', () => {
    const evil = buildAnomalyPage(
      finding({
        ...hourly,
        key: `spend_anomaly:${hostile.channel}:2026-11-20`,
        feature: hostile.channel,
        summary: `${hostile.channel} spent ${hostile.link} ${hostile.here} ${hostile.bold}`,
        evidence: {
          ...hourly.evidence,
          root_cause: { dimension: 'customer_id', value: hostile.link, excess_usd: '1', share: 0.9, usual_share: 0.1 },
          top_contributors: [{ dimension: 'customer_id', value: hostile.here, excess_usd: '1', share: 0.9, usual_share: 0.1 }],
        },
      }),
      config,
    );
    const all = [...blockTexts(evil), evil.text].join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil');
    expect(all).not.toMatch(/@here/);
    expect(all).not.toContain('*bold*');
    expect(all).toContain('&lt;!channel&gt;');
    const reply = buildResolvedReply(finding({ feature: hostile.link }));
    expect([...blockTexts(reply), reply.text].join('\n')).not.toContain('<https://evil');
  });
});
