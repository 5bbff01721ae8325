import { describe, expect, it } from 'vitest';
import type { DetectedFinding, Finding } from '../../functions/findings/finding.js';
import { changed, mergeAck, mergeSeen, mergeUnseen } from '../../functions/findings/merge.js';

const seen = (o: Partial<DetectedFinding> = {}): DetectedFinding => ({
  key: 'spend_anomaly:support:2026-05-27',
  kind: 'spend_anomaly',
  severity: 'warn',
  feature: 'support',
  subject: 'model=claude-sonnet-4',
  first_seen: '2026-05-27T10:00:00Z',
  last_seen: '2026-05-27T00:00:00Z',
  impact_usd_month: '85.000000000',
  summary: 'support spent $110.',
  evidence: { excess_usd: '85.000000000' },
  ongoing: true,
  ...o,
});

const stored = (o: Partial<Finding> = {}): Finding => {
  const { ongoing: _, ...fields } = seen();
  return { ...fields, status: 'open', acked_until: null, detected_at: '2026-05-28T03:00:00Z', updated_at: '2026-05-28T03:00:00Z', ...o };
};

const clock = { asOf: '2026-05-30', now: '2026-05-30T03:00:00Z' };

describe('a finding seen by a job', () => {
  it('is new and open, detected now', () => {
    expect(mergeSeen(undefined, seen(), clock)).toMatchObject({ status: 'open', detected_at: clock.now, updated_at: clock.now, acked_until: null });
  });

  it('is stored resolved when its problem already ended inside the window', () => {
    expect(mergeSeen(undefined, seen({ ongoing: false }), clock).status).toBe('resolved');
  });

  it('seen again, takes the new impact, summary and evidence and keeps its first_seen and detected_at', () => {
    const next = mergeSeen(stored({ first_seen: '2026-05-27T09:00:00Z' }), seen({ impact_usd_month: '90.000000000', summary: 'more' }), clock);
    expect(next).toMatchObject({
      first_seen: '2026-05-27T09:00:00Z',
      detected_at: '2026-05-28T03:00:00Z',
      impact_usd_month: '90.000000000',
      summary: 'more',
      updated_at: clock.now,
    });
  });

  it('seen again unchanged, is not touched: updated_at stays', () => {
    const before = stored();
    const next = mergeSeen(before, seen(), clock);
    expect(next).toEqual(before);
    expect(changed(before, next)).toBe(false);
  });

  it('moves its first_seen earlier when a longer window shows an earlier onset', () => {
    expect(mergeSeen(stored(), seen({ first_seen: '2026-05-26T00:00:00Z' }), clock).first_seen).toBe('2026-05-26T00:00:00Z');
  });

  it('resolved and seen again, opens again with the onset of its new episode', () => {
    const next = mergeSeen(stored({ status: 'resolved', first_seen: '2026-04-01T00:00:00Z' }), seen(), clock);
    expect(next).toMatchObject({ status: 'open', first_seen: '2026-05-27T10:00:00Z', detected_at: '2026-05-28T03:00:00Z' });
  });
});

describe('an acked finding', () => {
  it.each([
    { name: 'stays acked through its acked_until day', acked_until: '2026-05-30', status: 'acked' },
    { name: 'stays acked with no day, until it resolves', acked_until: null, status: 'acked' },
    { name: 'opens again the day after its acked_until', acked_until: '2026-05-29', status: 'open' },
  ])('$name', ({ acked_until, status }) => {
    expect(mergeSeen(stored({ status: 'acked', acked_until }), seen(), clock).status).toBe(status);
  });

  it('resolves when its problem is gone', () => {
    expect(mergeUnseen(stored({ status: 'acked', acked_until: null }), clock).status).toBe('resolved');
  });
});

describe('acking', () => {
  it('snoozes a finding until a day', () => {
    expect(mergeAck(stored(), '2026-06-15', clock)).toMatchObject({ status: 'acked', acked_until: '2026-06-15', updated_at: clock.now });
  });
});

describe('a finding a job looked for and no longer sees', () => {
  it('is resolved, and resolving it again changes nothing', () => {
    const once = mergeUnseen(stored(), clock);
    expect(once).toMatchObject({ status: 'resolved', updated_at: clock.now });
    expect(mergeUnseen(once, { ...clock, now: '2026-05-31T03:00:00Z' })).toEqual(once);
  });
});
