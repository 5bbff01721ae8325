import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Draws a Vega-Lite chart to SVG text at build time, with a headless Vega view (renderer 'none': no canvas, no
 * browser), as the fan chart does for Slack. The dashboard inlines the SVG, so it needs no chart library, no
 * script and no network when it is opened. Vega escapes the text it draws (labels, legends, titles).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
