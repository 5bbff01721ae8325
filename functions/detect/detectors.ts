import { budgetOverrun } from './budget-overrun.js';
import { cacheRegression } from './cache-regression.js';
import { dataGap } from './data-gap.js';
import type { Detector } from './detector.js';
import { modelSwitchWithoutEval } from './model-switch.js';
import { noFallbackModel } from './no-fallback.js';
import { piiScan } from './pii-scan.js';
import { premiumModelDefault } from './premium-model.js';
import { promptDrift } from './prompt-drift.js';
import { retryCap } from './retry-cap.js';
import { retryStorm } from './retry-storm.js';
import { spendAnomaly } from './spend-anomaly.js';
import { unattributedSpend } from './unattributed.js';
import { unpricedSpend } from './unpriced.js';

/**
 * The detectors each daily job runs (CONTRACT.md: `ai-finops run drift|retries|anomalies|detect`). `detect` runs
 * them all; the single-detector jobs run their part, and resolve only the kinds they look for.
 */
export const detectorsByJob = {
  drift: [promptDrift, cacheRegression],
  retries: [retryStorm, retryCap],
  anomalies: [spendAnomaly, dataGap],
  'pii-scan': [piiScan],
  detect: [
    spendAnomaly,
    dataGap,
    retryStorm,
    retryCap,
    promptDrift,
    cacheRegression,
    modelSwitchWithoutEval,
    premiumModelDefault,
    noFallbackModel,
    unattributedSpend,
    unpricedSpend,
    budgetOverrun,
    piiScan,
  ],
} as const satisfies Record<string, readonly Detector[]>;

export type DetectorJobName = keyof typeof detectorsByJob;
