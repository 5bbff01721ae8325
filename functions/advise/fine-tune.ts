import type { FinopsConfig } from '../config/finops-config.js';
import { daysPerMonth, rounded, usd } from '../detect/estimates.js';
import { mixCost, modelId, modelRates, type TokenMix } from '../detect/model-rates.js';
import { dailySeries, groupBy, total } from '../detect/series.js';
import { ForecastInputError } from '../forecast/errors.js';
import { forecastDailySpend } from '../forecast/spend-forecast.js';
import { formatCount } from '../format/table.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { adviceKey, type Advice } from './advice.js';
import { formatTokens } from './format-tokens.js';
import type { Advisor, AdviseContext } from './advisor.js';
import { recentDays, usageRows, type UsageDayRow } from './usage.js';

/**
 * Fine-tune break-even: is fine-tuning a smaller model on a feature's own calls worth its one-off cost?
 *
 * The feature's current model is its largest by spend over the last 28 days; its prompt is that model's token mix
 * per call over those days (input, of which cached and cache-written, and output tokens, each divided by the
 * calls). The same mix priced two ways, with the price list the loader uses (functions/pricing/):
 *
 *   cost_now    = the mix at the current model's rates (its observed spend per call where no list knows it)
 *   cost_target = the mix at the target model's rates x price_factor (fine-tuned models bill above their base)
 *   saving      = cost_now - cost_target                                    (USD per call; none if <= 0)
 *   calls       = ceil((training_usd + labor_usd) / saving)                 (the break-even number of calls)
 *   tokens      = calls x (input + output tokens per call)                 (the break-even number of tokens)
 *   months      = calls / calls_per_month
 *
 * where calls_per_month is the forecast volume: the current model's calls per day in the feature, forecast 91 days
 * ahead (functions/forecast/, the forecast job's model), averaged and times 365/12. After the break-even the
 * feature saves `saving x calls_per_month` a month: the advice's saving_usd_month.
 *
 * Example: 2,000 input and 500 output tokens a call, $3 / $15 per million now and $0.40 / $1.60 x 2 on the target:
 * cost_now = 0.006 + 0.0075 = $0.0135, cost_target = (0.0008 + 0.0008) x 2 = $0.0032, saving = $0.0103 a call;
 * $10,500 of one-off costs break even after ceil(10,500 / 0.0103) = 1,019,418 calls (2.55 billion tokens), which
 * at 100,000 calls a month is 10.2 months.
 *
 * `run advise` lists the features that break even within advice.fine_tune.payback_months; `ai-finops advise
 * fine-tune --feature F` computes it for any feature, with its own costs and target.
 */

export interface FineTuneOptions {
  targetModel: string;
  trainingUsd: number;
  laborUsd: number;
  priceFactor: number;
}

export interface BreakEven {
  one_off_usd: number;
  cost_per_call_usd: number;
  target_cost_per_call_usd: number;
  saving_per_call_usd: number;
  calls: number;
  tokens: number;
  calls_per_month: number;
  months: number;
}

/** The break-even arithmetic (see above); null when the target is not cheaper per call. */
export function breakEven(oneOffUsd: number, costPerCall: number, targetCostPerCall: number, tokensPerCall: number, callsPerMonth: number): BreakEven | null {
  const saving = costPerCall - targetCostPerCall;
  if (!(saving > 0)) return null;
  const calls = Math.ceil(oneOffUsd / saving);
  return {
    one_off_usd: oneOffUsd,
    cost_per_call_usd: costPerCall,
    target_cost_per_call_usd: targetCostPerCall,
    saving_per_call_usd: saving,
    calls,
    tokens: calls * tokensPerCall,
    calls_per_month: callsPerMonth,
    months: callsPerMonth > 0 ? calls / callsPerMonth : Infinity,
  };
}

export interface FineTuneCase {
  feature: string;
  provider: string | null;
  model: string;
  target_model: string;
  /** The current model's token mix per call over the recent window. */
  per_call: TokenMix;
  price_basis: 'price list' | 'observed spend per call';
  options: FineTuneOptions;
  /** null: the target costs as much or more per call. */
  break_even: BreakEven | null;
}

/** Why a feature has no fine-tune case: no recent calls, or a target the price list does not know. */
export type NoCase = { reason: 'no_calls' | 'unknown_target' | 'already_on_target'; message: string };

/** Days of volume forecast averaged for the calls per month. */
const volumeHorizonDays = 91;

/** The options of the config's advice.fine_tune section. */
export function configuredFineTune(config: FinopsConfig): FineTuneOptions {
  const f = config.advice.fine_tune;
  return { targetModel: f.target_model, trainingUsd: Number(f.training_usd), laborUsd: Number(f.labor_usd), priceFactor: f.price_factor };
}

/** The fine-tune break-even of one feature as of the context's day. */
export async function fineTuneCase(context: AdviseContext, feature: string, options: FineTuneOptions): Promise<FineTuneCase | NoCase> {
  const { asOf, config } = context;
  const mine = (await usageRows(context)).filter((r) => r.feature === feature);
  const recentFrom = addDays(asOf, -recentDays);
  const recent = [...groupBy(mine.filter((r) => r.day >= recentFrom), (r) => JSON.stringify([r.provider, r.model])).values()]
    .map((rows) => ({ rows, spend: total(rows, (r) => r.spend_usd), calls: total(rows, (r) => r.calls) }))
    .filter((m) => m.calls > 0)
    .sort((a, b) => b.spend - a.spend || a.rows[0]!.model.localeCompare(b.rows[0]!.model));
  const main = recent[0];
  if (!main) return { reason: 'no_calls', message: `feature ${feature} has no calls in the ${recentDays} days before ${asOf}` };
  const { provider, model } = main.rows[0]!;
  if (model === options.targetModel) {
    return { reason: 'already_on_target', message: `feature ${feature} already runs mostly on ${model}, the target model` };
  }
  const target = { provider: null, model: options.targetModel };
  const rates = modelRates(config, [{ provider, model }, target], addDays(asOf, -1));
  const targetRates = rates.get(modelId(target));
  if (!targetRates) {
    return { reason: 'unknown_target', message: `the price list has no rates for the target model ${options.targetModel}` };
  }
  const perCall: TokenMix = {
    input: total(main.rows, (r) => r.input_tokens) / main.calls,
    cachedInput: total(main.rows, (r) => r.cached_input_tokens) / main.calls,
    cacheWriteInput: total(main.rows, (r) => r.cache_write_input_tokens) / main.calls,
    output: total(main.rows, (r) => r.output_tokens) / main.calls,
  };
  const mainRates = rates.get(modelId({ provider, model }));
  const costNow = mainRates ? mixCost(perCall, mainRates) : main.spend / main.calls;
  const costTarget = mixCost(perCall, targetRates) * options.priceFactor;
  const history = mine.filter((r) => r.model === model && r.provider === provider);
  return {
    feature,
    provider,
    model,
    target_model: options.targetModel,
    per_call: perCall,
    price_basis: mainRates ? 'price list' : 'observed spend per call',
    options,
    break_even: breakEven(options.trainingUsd + options.laborUsd, costNow, costTarget, perCall.input + perCall.output, callsPerMonth(history, asOf)),
  };
}

/** The forecast calls a month: the mean of a 91-day forecast of calls per day, times 365/12. */
function callsPerMonth(rows: readonly UsageDayRow[], asOf: string): number {
  const first = rows.map((r) => r.day).sort()[0]!;
  const perDay = dailySeries(rows, first, asOf, (r) => r.day, (r) => r.calls);
  let mean: number;
  try {
    const forecast = forecastDailySpend(perDay, { horizon: volumeHorizonDays, paths: 200, seed: 1 });
    mean = total([...forecast.mean], (v) => v) / volumeHorizonDays;
  } catch (error) {
    if (!(error instanceof ForecastInputError)) throw error;
    mean = total(perDay, (v) => v) / perDay.length; // a single day of history: its own volume
  }
  return mean * daysPerMonth;
}

/** The advice row of a case that breaks even. */
export function fineTuneAdvice(c: FineTuneCase & { break_even: BreakEven }): Advice {
  const b = c.break_even;
  const monthly = b.saving_per_call_usd * b.calls_per_month;
  return {
    key: adviceKey('fine_tune', c.feature, c.model),
    advisor: 'fine_tune',
    feature: c.feature,
    subject: c.model,
    summary:
      `Fine-tuning ${c.target_model} to replace ${c.model} (${formatCount(Math.round(c.per_call.input))} input and ` +
      `${formatCount(Math.round(c.per_call.output))} output tokens a call) saves ${formatUsd(usd(b.saving_per_call_usd))} a call: ` +
      `the ${formatUsd(usd(b.one_off_usd))} one-off cost breaks even after ${formatCount(b.calls)} calls ` +
      `(${formatTokens(b.tokens)} tokens), ${b.months.toFixed(1)} months at the forecast ${formatCount(Math.round(b.calls_per_month))} calls a month; ` +
      `then about ${formatUsd(usd(monthly))} a month, if it passes the feature's quality bar.`,
    saving_usd_month: usd(monthly),
    inputs: fineTuneInputs(c),
  };
}

/** The numbers of a case, for the advice's inputs and `advise fine-tune --json`. */
export function fineTuneInputs(c: FineTuneCase): Record<string, unknown> {
  const b = c.break_even;
  return {
    feature: c.feature,
    provider: c.provider,
    model: c.model,
    target_model: c.target_model,
    window_days: recentDays,
    input_tokens_per_call: rounded(c.per_call.input, 6),
    cached_input_tokens_per_call: rounded(c.per_call.cachedInput, 6),
    cache_write_input_tokens_per_call: rounded(c.per_call.cacheWriteInput, 6),
    output_tokens_per_call: rounded(c.per_call.output, 6),
    price_basis: c.price_basis,
    price_factor: c.options.priceFactor,
    training_usd: usd(c.options.trainingUsd),
    labor_usd: usd(c.options.laborUsd),
    cost_per_call_usd: b ? usd(b.cost_per_call_usd) : null,
    target_cost_per_call_usd: b ? usd(b.target_cost_per_call_usd) : null,
    saving_per_call_usd: b ? usd(b.saving_per_call_usd) : null,
    break_even_calls: b?.calls ?? null,
    break_even_tokens: b ? Math.round(b.tokens) : null,
    calls_per_month: b ? Math.round(b.calls_per_month) : null,
    months_to_break_even: b && Number.isFinite(b.months) ? rounded(b.months, 4) : null,
  };
}

/** `run advise`: the features whose forecast volume pays a fine-tune back within advice.fine_tune.payback_months. */
export const fineTuneAdvisor: Advisor = {
  name: 'fine_tune',
  advise: async (context) => {
    const options = configuredFineTune(context.config);
    const features = [...new Set((await usageRows(context)).map((r) => r.feature).filter((f): f is string => f !== null))].sort();
    const advice: Advice[] = [];
    for (const feature of features) {
      const c = await fineTuneCase(context, feature, options);
      if (!('break_even' in c) || !c.break_even || c.break_even.months > context.config.advice.fine_tune.payback_months) continue;
      advice.push(fineTuneAdvice(c as FineTuneCase & { break_even: BreakEven }));
    }
    return advice.sort((a, b) => Number(b.saving_usd_month) - Number(a.saving_usd_month) || (a.feature ?? '').localeCompare(b.feature ?? ''));
  },
};
