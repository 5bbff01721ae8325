import type { KnownBlock, SectionBlock } from '@slack/web-api';
import { featureConfig, type FinopsConfig } from '../config/finops-config.js';
import type { Evidence, Finding, FindingKind } from '../findings/finding.js';
import { since } from '../findings/render.js';
import { formatPercent } from '../format/table.js';
import { formatUsd } from '../money.js';
import { blocksWithin, context, header, listSection, section } from './blocks.js';
import { code, codeText, escapeMrkdwn } from './escape.js';
import { slackLimits, truncate } from './limits.js';
import type { SlackMessage } from './message.js';

/**
 * The page (issue 5): one message per `page` finding, sent to the feature's channel, that a person on call can act
 * on without opening anything else: what is happening, where (feature, model, segment, customer), since when, how
 * many dollars an hour or a day it burns above normal, the root cause the detector found, and what to check first.
 * When the finding resolves, buildResolvedReply answers in the page's thread with when it ended and what it cost.
 *
 * The numbers come from the finding's evidence as the detectors write it: spend_anomaly
 * (functions/detect/spend-anomaly.ts: grain, days, excess_usd, root_cause, top_contributors) and retry_storm
 * (retry-storm.ts: provider, model, stormy_hours, attempts per request, excess_retry_spend_usd). Other kinds, if one
 * ever pages, get the summary, the dollars and a generic first check.
 *
 * A finding can resolve and open again under the same key (functions/findings/merge.ts: a new episode, with the
 * new onset as its first_seen; a pii_in_logs key has no date at all), so a page is keyed by the finding and the
 * onset of the episode it pages, and its resolved reply by the same: each episode pages once and resolves once.
 */

/** The delivery key of the page of one episode of a finding: `page:FINDING_KEY:ONSET` (ONSET a 20-character stamp). */
export function pageKey(findingKey: string, onset: string): string {
  return `page:${findingKey}:${onset}`;
}

/** The delivery key of the reply to that page: `resolved:FINDING_KEY:ONSET`. */
export function resolvedKey(findingKey: string, onset: string): string {
  return `resolved:${findingKey}:${onset}`;
}

const titles: Partial<Record<FindingKind, string>> = {
  spend_anomaly: 'Spend anomaly',
  retry_storm: 'Retry storm',
};

/** `onset`: the episode paged, as a stamp; its first_seen unless the caller pages an episode keyed before. */
export function buildAnomalyPage(finding: Finding, config: FinopsConfig, onset: string = finding.first_seen): SlackMessage {
  const facts = factsOf(finding);
  const owner = featureConfig(config, finding.feature).owner;
  const title = titles[finding.kind] ?? finding.kind;
  const rate = facts.rate === null ? '' : `, ${formatUsd(String(facts.rate.usd))} ${facts.rate.per === 'hour' ? 'an hour' : 'a day'} above normal`;
  const blocks: KnownBlock[] = [
    header(`🔴 ${title}${rate}`),
    section(escapeMrkdwn(finding.summary)),
    fieldsSection([
      ['Where', facts.where.map(([name, value]) => `${name} ${code(value)}`).join(', ')],
      ['Since', `${since(finding.first_seen)} UTC (last seen ${since(finding.last_seen)} UTC)`],
      ['Burning', facts.rate === null ? 'not estimated' : `${formatUsd(String(facts.rate.usd))} per ${facts.rate.per} above normal`],
      ['Monthly impact', finding.impact_usd_month === null ? 'not estimated' : formatUsd(finding.impact_usd_month)],
      ...(owner === null ? [] : ([['Owner', escapeMrkdwn(owner)]] as [string, string][])),
    ]),
  ];
  if (facts.cause.length > 0) blocks.push(listSection('*Root cause*', facts.cause, (n) => `…and ${n} more`));
  blocks.push(listSection('*Check first*', checks(finding, facts).map((c, i) => `${i + 1}. ${c}`), (n) => `…and ${n} more`));
  blocks.push(context(`Finding ${code(finding.key)} · acknowledge it with \`ai-finops findings ack ${codeText(finding.key)} --until YYYY-MM-DD\``));
  return {
    key: pageKey(finding.key, onset),
    kind: 'page',
    channel: featureConfig(config, finding.feature).slack_channel,
    text: truncate(escapeMrkdwn(`${title}${finding.feature === null ? '' : ` in ${finding.feature}`}${rate}: ${finding.summary}`), slackLimits.messageText),
    blocks: blocksWithin(blocks),
  };
}

/**
 * The reply in the page's thread once the finding resolves: that it ended, when it was last seen, and what it cost
 * above normal in all, where the evidence says. Its channel is null: it goes in the thread of the page
 * (`threadOf`), wherever that was posted. `onset`: the episode, as its page was keyed.
 */
export function buildResolvedReply(finding: Finding, onset: string = finding.first_seen): SlackMessage {
  const title = (titles[finding.kind] ?? finding.kind).toLowerCase();
  const cost = totalExcess(finding);
  const where = finding.feature === null ? '' : ` in ${code(finding.feature)}`;
  const sentence =
    `✅ *Resolved:* the ${title}${where} is over. Last seen ${since(finding.last_seen)} UTC; resolved as of ${since(finding.updated_at)} UTC.` +
    (cost === null ? '' : ` In all it cost *${formatUsd(cost)}* above normal.`);
  return {
    key: resolvedKey(finding.key, onset),
    kind: 'resolved',
    channel: null,
    threadOf: pageKey(finding.key, onset),
    text: escapeMrkdwn(
      `Resolved: the ${title}${finding.feature === null ? '' : ` in ${finding.feature}`} is over` + (cost === null ? '.' : `; it cost ${formatUsd(cost)} above normal.`),
    ),
    blocks: [section(sentence)],
  };
}

interface PageFacts {
  /** (dimension, value) pairs, the feature first. */
  where: [string, string][];
  rate: { usd: number; per: 'hour' | 'day' } | null;
  /** Lines explaining the cause, escaped. */
  cause: string[];
  /** The root cause's dimension and value, when the detector named one. */
  rootCause: { dimension: string; value: string } | null;
}

interface Contributor {
  dimension: string;
  value: string | null;
  excess_usd: string;
  share: number;
  usual_share: number;
}

const dimensionNames: Record<string, string> = { model: 'model', segment: 'segment', prompt_id: 'prompt', customer_id: 'customer' };

function factsOf(finding: Finding): PageFacts {
  const e = finding.evidence;
  const where: [string, string][] = [['feature', finding.feature ?? '(no feature)']];
  if (finding.kind === 'retry_storm') {
    const model = text(e.model) ?? finding.subject;
    if (model !== null) where.push(['model', (text(e.provider) === null ? '' : `${text(e.provider)}/`) + model]);
    const hours = number(e.stormy_hours);
    const excess = number(e.excess_retry_spend_usd);
    return {
      where,
      rate: hours !== null && hours > 0 && excess !== null ? { usd: excess / hours, per: 'hour' } : null,
      cause: retryCause(e),
      rootCause: model === null ? null : { dimension: 'model', value: model },
    };
  }
  const top = Array.isArray(e.top_contributors) ? (e.top_contributors as Contributor[]) : [];
  for (const c of top) if (c.value !== null && c.share >= 0.5) where.push([dimensionNames[c.dimension] ?? c.dimension, c.value]);
  const root = (e.root_cause ?? null) as Contributor | null;
  const cause = top.map(
    (c) =>
      `• ${dimensionNames[c.dimension] ?? escapeMrkdwn(c.dimension)} ${code(c.value ?? '(none)')}: ${Math.round(c.share * 100)}% of the excess ` +
      `(${formatUsd(String(c.excess_usd))}), usually ${Math.round(c.usual_share * 100)}% of the spend` +
      (root !== null && root.dimension === c.dimension && root.value === c.value ? ' ← the root cause' : ''),
  );
  return { where, rate: anomalyRate(finding), cause, rootCause: root === null || root.value === null ? null : { dimension: root.dimension, value: root.value } };
}

/** Excess dollars per hour (hourly scan: over the hours from onset to last seen) or per day (daily detector). */
function anomalyRate(finding: Finding): PageFacts['rate'] {
  const excess = number(finding.evidence.excess_usd);
  if (excess === null) return null;
  if (finding.evidence.grain === 'hour') {
    const hours = (Date.parse(finding.last_seen) - Date.parse(finding.first_seen)) / 3_600_000 + 1;
    return { usd: excess / hours, per: 'hour' };
  }
  const days = Array.isArray(finding.evidence.days) ? finding.evidence.days.length : 0;
  return days > 0 ? { usd: excess / days, per: 'day' } : null;
}

function retryCause(e: Evidence): string[] {
  const lines: string[] = [];
  const attempts = number(e.attempts_per_request);
  const usual = number(e.usual_attempts_per_request);
  if (attempts !== null && usual !== null) {
    lines.push(`• ${attempts.toFixed(1)} attempts per request (usually ${usual.toFixed(2)}), up to ${number(e.max_hourly_attempts_per_request)?.toFixed(1) ?? '?'} in its worst hour`);
  }
  const retried = number(e.retried_request_share);
  const usualRetried = number(e.usual_retried_request_share);
  if (retried !== null && usualRetried !== null) lines.push(`• ${formatPercent(retried)} of requests retried (usually ${formatPercent(usualRetried)}); ${number(e.failed_attempts) ?? 0} attempts failed`);
  const retrySpend = text(e.retry_spend_usd);
  const share = number(e.retry_spend_share);
  if (retrySpend !== null && share !== null) lines.push(`• retries cost ${formatUsd(retrySpend)}, ${formatPercent(share)} of the spend (usually ${formatPercent(number(e.usual_retry_spend_share) ?? 0)})`);
  return lines;
}

/** What a person on call looks at first, by kind and by the root cause the detector named. */
function checks(finding: Finding, facts: PageFacts): string[] {
  const feature = code(finding.feature ?? '(no feature)');
  const ack = 'If it is expected (a launch, a backfill, a load test), acknowledge it so it stops paging.';
  if (finding.kind === 'retry_storm') {
    const model = code(facts.rootCause?.value ?? finding.subject ?? 'the model');
    return [
      `The provider's status page and error rates for ${model}: errors, timeouts or rate limits (429s mean a quota or concurrency limit).`,
      `That ${feature}'s client caps its attempts (\`retry_cap\`) and backs off; switch to a fallback model (\`fallback_models\`) until ${model} recovers.`,
      ack,
    ];
  }
  if (finding.kind !== 'spend_anomaly') return [`The finding's evidence: \`ai-finops findings --status open --json\`.`, ack];
  const cause = facts.rootCause;
  const first: Record<string, string> = {
    customer_id: `Customer ${code(cause?.value ?? '')}'s traffic: a runaway integration or agent loop; rate-limit or pause its key if it is not expected.`,
    model: `Whether a deploy or a config change moved ${feature} to model ${code(cause?.value ?? '')} or raised its output limit; roll back if it was not meant.`,
    prompt_id: `The latest change to prompt ${code(cause?.value ?? '')}: a longer context, a tool-call loop, or a prefix that defeats the cache.`,
    segment: `Segment ${code(cause?.value ?? '')}'s traffic: a new large customer, a launch or a batch job; look at requests per customer in it.`,
  };
  const customer = facts.where.find(([name]) => name === 'customer');
  return [
    cause === null ? `Requests per minute and tokens per call in ${feature} against the same hour yesterday: a loop, retries or a larger context.` : first[cause.dimension]!,
    ...(customer !== undefined && cause?.dimension !== 'customer_id' ? [`Customer ${code(customer[1])}, which carries most of the excess.`] : []),
    ack,
  ];
}

/** A section of label: value fields, two columns in Slack, at most 10. */
function fieldsSection(fields: [string, string][]): SectionBlock {
  return {
    type: 'section',
    fields: fields.slice(0, slackLimits.sectionFields).map(([label, value]) => ({
      type: 'mrkdwn',
      text: truncate(`*${label}*\n${value}`, slackLimits.fieldText),
      verbatim: true,
    })),
  };
}

function number(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function totalExcess(finding: Finding): string | null {
  const value = finding.kind === 'retry_storm' ? finding.evidence.excess_retry_spend_usd : finding.evidence.excess_usd;
  return typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? value : null;
}
