import { writeFile } from 'node:fs/promises';
import type { FinopsConfig } from '../config/finops-config.js';
import type { Engine } from '../engine/engine.js';
import { dashboardInput } from './dashboard-input.js';
import { renderDashboard } from './page.js';

/**
 * Reads a month from the ledger and writes its dashboard to `path`, as of `now` (the CLI: the clock; the demo: its
 * as-of day). Returns the HTML written.
 */
export async function writeDashboard(engine: Engine, config: FinopsConfig, month: string, path: string, now: Date): Promise<string> {
  const html = await renderDashboard(await dashboardInput(engine, config, month, now));
  await writeFile(path, html);
  return html;
}
