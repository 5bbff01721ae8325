import type { Finding, Severity } from '../findings/finding.js';
import { formatUsd } from '../money.js';
import { code, escapeMrkdwn } from './escape.js';

/** A mark per severity that stands out in Slack and in a terminal alike. */
export const severityMarks: Record<Severity, string> = { page: '🔴', warn: '🟠', info: '⚪' };

/**
 * One finding as one line of a message: severity, monthly dollars, kind, feature and its owner, and the detector's
 * sentence. Every user string escaped; the feature as code, so its name shows as written.
 */
export function findingLine(finding: Finding, owner: string | null): string {
  const impact = finding.impact_usd_month === null ? 'no dollar estimate' : `${formatUsd(finding.impact_usd_month)}/month`;
  return (
    `${severityMarks[finding.severity]} *${impact}* ${finding.kind}${finding.feature === null ? '' : ` in ${code(finding.feature)}`}` +
    (owner === null ? '' : ` (owner ${escapeMrkdwn(owner)})`) +
    `: ${escapeMrkdwn(finding.summary)}`
  );
}
