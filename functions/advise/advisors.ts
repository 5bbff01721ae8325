import type { Advisor } from './advisor.js';
import { cachingAdvisor } from './caching.js';
import { chargebackAdvisor } from './chargeback.js';
import { commitAdvisor } from './commit.js';
import { fineTuneAdvisor } from './fine-tune.js';
import { routingAdvisor } from './routing.js';
import { selfHostAdvisor } from './self-host.js';

/** The advisors `ai-finops run advise` runs, in the order their advice is listed. */
export const advisors: readonly Advisor[] = [chargebackAdvisor, routingAdvisor, cachingAdvisor, commitAdvisor, fineTuneAdvisor, selfHostAdvisor];
