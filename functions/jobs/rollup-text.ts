import { formatUsd } from '../money.js';
import { formatCount } from '../format/table.js';
import type { RollupResult } from './rollup.js';

/** The rollup run, as a person reads it. */
export function renderRollup(result: RollupResult): string {
  const ranges = result.ranges.map((r) => `${r.from}..${r.to}`).join(', ');
  return (
    `Rolled up ${result.days} day${result.days === 1 ? '' : 's'} (${ranges}) as of ${result.as_of}: ` +
    `${formatUsd(result.spend_usd)} over ${formatCount(result.calls)} calls, reconciled with the raw calls to the cent.`
  );
}
