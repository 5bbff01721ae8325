import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * The fan chart of the month-end report: monthly spend so far as a solid line, then the forecast's mean as a
 * dashed line inside its 80% band (darker) and 95% band (lighter), widening with the horizon, so a reader sees at a
 * glance where the month is heading and how sure that is. Written as a Vega-Lite spec, compiled to Vega, drawn by a
 * headless Vega view to SVG (renderer 'none': no canvas, no browser) and rasterized to PNG by resvg, for Slack.
 *
 * Sized for Slack's preview (about 360 pixels high in a channel): 720 x 300 chart units with 13-14 px text,
 * rendered at twice the size so it stays sharp on high-density screens.
 */

export interface FanChartInput {
  title: string;
  /** Closed months, oldest first: first day and spend (decimal text or number, US dollars). */
  actuals: { month: string; usd: string | number }[];
  /** Forecast months after the last actual, in order, with the mean and both intervals. */
  forecasts: { month: string; mean: string | number; lo80: string | number; hi80: string | number; lo95: string | number; hi95: string | number }[];
}

export interface FanChart {
  svg: string;
  png: Uint8Array;
  /** Pixel size of the PNG. */
  width: number;
  height: number;
}

const width = 720;
const height = 300;
const scale = 2;
const font = 'DejaVu Sans';
/**
 * The font ships with the package (dejavu-fonts-ttf) rather than coming from the system: a Cloud Functions instance or
 * a fresh CI machine may have no fonts at all, and resvg silently drops text it has no font for.
 */
const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
  createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${file}`),
);

interface Point {
  month: string;
  actual?: number;
  mean?: number;
  lo80?: number;
  hi80?: number;
  lo95?: number;
  hi95?: number;
}

/** The Vega-Lite spec; exported so tests can read what is drawn. */
export function fanChartSpec(input: FanChartInput): TopLevelSpec {
  const points: Point[] = input.actuals.map((a) => ({ month: a.month, actual: Number(a.usd) }));
  const last = points.at(-1);
  // the fan opens from the last actual: a forecast point at it with no spread joins the two lines
  if (last && input.forecasts.length > 0) Object.assign(last, { mean: last.actual, lo80: last.actual, hi80: last.actual, lo95: last.actual, hi95: last.actual });
  for (const f of input.forecasts) {
    points.push({ month: f.month, mean: Number(f.mean), lo80: Number(f.lo80), hi80: Number(f.hi80), lo95: Number(f.lo95), hi95: Number(f.hi95) });
  }
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: null, axis: { format: '$,.0f' } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    padding: { left: 10, right: 30, top: 10, bottom: 10 },
    background: 'white',
    title: {
      text: input.title,
      subtitle: ['Solid: actual spend per month. Dashed: the forecast,', 'in its 80% (dark) and 95% (light) intervals.'],
      anchor: 'start',
      fontSize: 16,
      subtitleFontSize: 12,
      subtitleColor: '#555',
    },
    config: {
      font,
      axis: { labelFontSize: 13, titleFontSize: 13, gridColor: '#e6e6e6' },
      view: { stroke: null },
    },
    data: { values: points as unknown as Record<string, unknown>[] },
    encoding: {
      x: { field: 'month', type: 'temporal', timeUnit: 'yearmonth', title: null, axis: { format: '%b %Y', labelAngle: 0, tickCount: 'month', labelOverlap: false } },
    },
    layer: [
      { mark: { type: 'area', color: '#9ecae1', opacity: 0.45 }, encoding: { y: y('lo95'), y2: { field: 'hi95' } } },
      { mark: { type: 'area', color: '#4292c6', opacity: 0.55 }, encoding: { y: y('lo80'), y2: { field: 'hi80' } } },
      { mark: { type: 'line', color: '#08306b', strokeDash: [6, 4], strokeWidth: 2 }, encoding: { y: y('mean') } },
      { mark: { type: 'line', color: '#222222', strokeWidth: 2.5, point: { filled: true, size: 40, color: '#222222' } }, encoding: { y: y('actual') } },
    ],
  };
}

/** Renders the fan chart to SVG and PNG. */
export async function renderFanChart(input: FanChartInput): Promise<FanChart> {
  const view = new vega.View(vega.parse(compile(fanChartSpec(input)).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const image = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: scale },
      background: 'white',
      font: { fontFiles, loadSystemFonts: false, defaultFontFamily: font, sansSerifFamily: font },
    }).render();
    return { svg, png: image.asPng(), width: image.width, height: image.height };
  } finally {
    view.finalize();
  }
}
