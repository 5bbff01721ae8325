import { describe, expect, it } from 'vitest';
import type { Finding } from '../../functions/findings/finding.js';
import { renderFindings, since } from '../../functions/findings/render.js';

const finding = (o: Partial<Finding>): Finding => ({
  key: 'k', kind: 'spend_anomaly', severity: 'warn', feature: 'support', subject: null, first_seen: '2026-05-27T10:00:00Z',
  last_seen: '2026-05-27T00:00:00Z', impact_usd_month: '85.000000000', summary: 'support spent $110.', evidence: {},
  status: 'open', acked_until: null, detected_at: '2026-05-28T03:00:00Z', updated_at: '2026-05-28T03:00:00Z', ...o,
});

describe('findings as a person reads them', () => {
  it('one line each, open first and by monthly impact, the severity marked and the dollars shown', () => {
    const text = renderFindings(
      [
        finding({ key: 'a', severity: 'info', impact_usd_month: '3.000000000', summary: 'small.' }),
        finding({ key: 'b', severity: 'page', impact_usd_month: '1200.000000000', summary: 'big.', status: 'resolved' }),
        finding({ key: 'c', kind: 'unattributed_spend', feature: null, impact_usd_month: '46.220000000', first_seen: '2026-03-01T00:00:00Z', summary: 'untagged.', status: 'acked', acked_until: '2026-06-30' }),
      ],
      { title: 'Findings' },
    );
    expect(text.split('\n')).toEqual([
      'Findings: 1 page, 1 warn, 1 info',
      '',
      'severity  impact/month  kind                feature       since             status                  summary',
      '────────  ────────────  ──────────────────  ────────────  ────────────────  ──────────────────────  ─────────',
      ' ! warn         $46.22  unattributed_spend  (no feature)  2026-03-01        acked until 2026-06-30  untagged.',
      '   info          $3.00  spend_anomaly       support       2026-05-27 10:00  open                    small.',
      '!! page      $1,200.00  spend_anomaly       support       2026-05-27 10:00  resolved                big.',
    ]);
  });

  it('says so when there is nothing to show', () => {
    expect(renderFindings([], { title: 'Findings', none: 'No findings yet.' })).toBe('Findings\n\nNo findings yet.');
  });

  it.each([
    { stamp: '2026-05-27T10:00:00Z', shown: '2026-05-27 10:00' },
    { stamp: '2026-05-27T00:00:00Z', shown: '2026-05-27' },
  ])('shows an onset of $stamp as $shown', ({ stamp, shown }) => {
    expect(since(stamp)).toBe(shown);
  });
});
