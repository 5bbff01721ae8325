import { renderFindings } from '../findings/render.js';
import { daysBetween } from '../time/days.js';
import type { DetectResult } from './detect.js';

/** A detector job's run, as a person reads it: its findings, ranked, one line each. */
export function renderDetect(result: DetectResult): string {
  return renderFindings(result.findings, {
    title: `Findings of ${result.job} as of ${result.as_of} (${scope(result)})`,
    none: 'No findings: nothing crossed a threshold.',
  });
}

function scope(result: DetectResult): string {
  const [first] = result.detectors;
  if (!first) return 'no detectors';
  if (first.from.length > 10) return `hours ${first.from.slice(0, 16).replace('T', ' ')} to ${first.to.slice(0, 16).replace('T', ' ')} UTC`;
  const days = [...new Set(result.detectors.map((d) => daysBetween(d.from, d.to)))].sort((a, b) => a - b);
  return days.length === 1 ? `lookback ${days[0]} days` : `lookback ${days[0]} to ${days.at(-1)} days`;
}
