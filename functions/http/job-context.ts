import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FinopsConfig } from '../config/finops-config.js';
import type { Settings } from '../config/settings.js';
import type { Engine } from '../engine/engine.js';
import type { JobContext } from '../jobs/context.js';
import { deliverySettings } from '../slack/delivery-settings.js';

/**
 * Where a function run without SLACK_BOT_TOKEN writes its message payloads: the instance's temp folder, since the
 * working folder holds the deployed code. Deployed, the token is always mounted (terraform/secrets.tf), so this is
 * for local runs of the functions framework.
 */
export const functionOutDir = join(tmpdir(), 'ai-finops-out');

/**
 * The one place the functions build a job's context: the engine and config opened for the request, the as-of day
 * from its body, the clock, and Slack delivery from the settings (SLACK_BOT_TOKEN, SLACK_CHANNEL, SLACK_API_URL) and
 * the body's `force`.
 */
export function functionJobContext(parts: { engine: Engine; config: FinopsConfig; settings: Settings; asOf: string; force: boolean; now: () => Date }): JobContext {
  return {
    engine: parts.engine,
    config: parts.config,
    asOf: parts.asOf,
    now: parts.now,
    delivery: deliverySettings(parts.settings, { out: functionOutDir, force: parts.force }),
  };
}
