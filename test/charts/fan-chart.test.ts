import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fanChartSpec, renderFanChart, type FanChartInput } from '../../functions/charts/fan-chart.js';

const input: FanChartInput = {
  title: 'AI spend per month',
  actuals: [
    { month: '2026-07-01', usd: '812.500000000' },
    { month: '2026-08-01', usd: '905.250000000' },
    { month: '2026-09-01', usd: '1010.000000000' },
    { month: '2026-10-01', usd: '1234.560000000' },
  ],
  forecasts: [
    { month: '2026-11-01', mean: '1300', lo80: '1200', hi80: '1410', lo95: '1150', hi95: '1520' },
    { month: '2026-12-01', mean: '1350', lo80: '1150', hi80: '1560', lo95: '1050', hi95: '1790' },
    { month: '2027-01-01', mean: '1380', lo80: '1100', hi80: '1700', lo95: '950', hi95: '2050' },
  ],
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('the fan chart', () => {
  it('renders a real PNG, twice the chart size for sharp previews', async () => {
    const chart = await renderFanChart(input);
    expect([...chart.png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngSize(chart.png)).toEqual({ width: chart.width, height: chart.height });
    const svgWidth = Number(/<svg[^>]* width="(\d+(?:\.\d+)?)"/.exec(chart.svg)![1]);
    const svgHeight = Number(/<svg[^>]* height="(\d+(?:\.\d+)?)"/.exec(chart.svg)![1]);
    expect(chart.width).toBe(Math.ceil(svgWidth * 2));
    expect(chart.height).toBe(Math.ceil(svgHeight * 2));
    // wide enough to read at Slack's preview size, no wider than a screen
    expect(svgWidth).toBeGreaterThanOrEqual(720);
    expect(svgWidth).toBeLessThanOrEqual(1000);
    expect(chart.png.length).toBeGreaterThan(10_000);
    if (process.env.FAN_CHART_OUT) writeFileSync(process.env.FAN_CHART_OUT, chart.png);
  });

  it('draws its text into the PNG with the font it ships, whatever fonts the machine has', async () => {
    // without a font resvg drops text silently: then two charts that differ only in their title render the same
    const [a, b] = await Promise.all([renderFanChart(input), renderFanChart({ ...input, title: 'Spend, month by month' })]);
    expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(false);
  });

  it('draws both bands, the forecast and the actual lines, and dollars on the axis', async () => {
    const { svg } = await renderFanChart(input);
    const areas = svg.match(/class="mark-area[^"]*"/g) ?? [];
    const lines = svg.match(/class="mark-line[^"]*"/g) ?? [];
    expect(areas).toHaveLength(2);
    expect(lines).toHaveLength(2);
    expect(svg).toContain('$1,000');
    expect(svg).toContain('Oct 2026');
    expect(svg).toContain('Jan 2027');
    expect(svg).toContain('AI spend per month');
  });

  it('opens the fan at the last actual month, so the forecast joins the actual line', () => {
    const values = (fanChartSpec(input).data as { values: Record<string, number | string>[] }).values;
    expect(values.find((v) => v.month === '2026-10-01')).toMatchObject({ actual: 1234.56, mean: 1234.56, lo95: 1234.56, hi95: 1234.56 });
    expect(values.find((v) => v.month === '2027-01-01')).toMatchObject({ mean: 1380, lo80: 1100, hi95: 2050 });
    expect(values.find((v) => v.month === '2027-01-01')).not.toHaveProperty('actual');
  });

  it('draws actuals alone when there is no forecast', async () => {
    const { svg } = await renderFanChart({ ...input, forecasts: [] });
    expect(svg.match(/class="mark-line[^"]*"/g)).toHaveLength(2);
    expect((fanChartSpec({ ...input, forecasts: [] }).data as { values: object[] }).values.every((v) => !('mean' in v))).toBe(true);
  });
});
