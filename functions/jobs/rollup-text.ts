import { formatUsd } from '../money.js';
import { formatCount } from '../format/table.js';
import { addDays } from '../time/days.js';
import type { RollupResult } from './rollup.js';

/** The rollup run, as a person reads it. */
export function renderRollup(result: RollupResult): string {
  const ranges = result.ranges
    .map((r) => (addDays(r.from, 1) === r.to ? r.from : `${r.from} to ${addDays(r.to, -1)}`))
    .join(', ');
  return (
    `Rolled up ${result.days} day${result.days === 1 ? '' : 's'} (${ranges}) as of ${result.as_of}: ` +
    `${formatUsd(result.spend_usd)} over ${formatCount(result.calls)} calls, reconciled with the raw calls to the cent.`
  );
}
