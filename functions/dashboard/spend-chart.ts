import type { TopLevelSpec } from 'vega-lite';

/** One day's spend of one feature (null: the calls with no feature). */
export interface DailySpend {
  day: string;
  feature: string | null;
  spend_usd: string;
}

/** The label of the calls with no feature, in the chart and the tables alike. */
export const noFeature = '(no feature)';

/**
 * Spend per day over the month, one stacked bar a day, a colour per feature: the height is the day's total, the
 * colours say which feature moved it. Features keep the order of the cost-per-outcome table (largest spend at the
 * bottom), so the colours read the same way as the table's rows.
 */
export function spendChartSpec(daily: readonly DailySpend[], featureOrder: readonly string[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 900,
    height: 280,
    background: 'white',
    padding: 8,
    config: {
      font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
      axis: { labelFontSize: 13, titleFontSize: 13, gridColor: '#e6e6e6' },
      legend: { labelFontSize: 13, titleFontSize: 13, labelLimit: 240, orient: 'top', direction: 'horizontal', columns: 5, symbolType: 'square' },
      view: { stroke: null },
    },
    // the rank is data, not an expression: a feature's name never enters Vega's expression language
    data: {
      values: daily.map((d) => {
        const feature = d.feature ?? noFeature;
        return { day: d.day, feature, rank: featureOrder.indexOf(feature), usd: Number(d.spend_usd) };
      }),
    },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: {
        field: 'day',
        type: 'ordinal',
        timeUnit: 'utcyearmonthdate',
        title: null,
        axis: { format: '%d', labelAngle: 0, labelOverlap: true },
        scale: { paddingInner: 0.15 },
      },
      y: { field: 'usd', type: 'quantitative', title: null, axis: { format: '$,.2~f' }, stack: 'zero' },
      color: { field: 'feature', type: 'nominal', title: null, sort: [...featureOrder], scale: { scheme: 'tableau10' } },
      order: { field: 'rank', type: 'quantitative' },
    },
  };
}
