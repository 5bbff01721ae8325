import type { Command } from 'commander';
import { adviseContext } from '../../advise/advisor.js';
import { formatTokens } from '../../advise/format-tokens.js';
import { configuredFineTune, fineTuneCase, fineTuneInputs, type FineTuneCase } from '../../advise/fine-tune.js';
import { usd } from '../../detect/estimates.js';
import { InputError, UsageError } from '../../errors.js';
import { formatCount, formatPercent } from '../../format/table.js';
import { formatUsd } from '../../money.js';
import { asOfDay, jsonOption, ledgerOptions, openLedger, print, type LedgerOptions } from '../common.js';

interface FineTuneFlags extends LedgerOptions {
  feature: string;
  trainingUsd?: string;
  laborUsd?: string;
  targetModel?: string;
  asOf?: string;
}

/**
 * `ai-finops advise fine-tune --feature F [--training-usd USD] [--labor-usd USD] [--target-model M]`: the fine-tune
 * break-even of one feature (functions/advise/fine-tune.ts), its defaults from the config's advice.fine_tune.
 * With --json: `{"feature", "as_of", ...the inputs, "saving_usd_month", "summary"}`, money as decimal strings.
 */
export function registerAdvise(program: Command): void {
  const advise = program.command('advise').description('advice computed on demand: fine-tune break-even (run advise for all advisors)');
  jsonOption(ledgerOptions(advise.command('fine-tune')))
    .description("the calls, tokens and months for fine-tuning a smaller model to pay back on a feature's own calls")
    .requiredOption('--feature <name>', 'the feature')
    .option('--training-usd <usd>', 'one-off training cost (default: advice.fine_tune.training_usd, 500)')
    .option('--labor-usd <usd>', 'one-off people cost (default: advice.fine_tune.labor_usd, 10000)')
    .option('--target-model <model>', 'the model to fine-tune (default: advice.fine_tune.target_model, gpt-4.1-mini)')
    .option('--as-of <day>', 'as if on the morning of this UTC day (YYYY-MM-DD), over the days before it')
    .action(async (flags: FineTuneFlags) => {
      const asOf = asOfDay(flags.asOf);
      const trainingUsd = flags.trainingUsd === undefined ? undefined : amount(flags.trainingUsd, '--training-usd');
      const laborUsd = flags.laborUsd === undefined ? undefined : amount(flags.laborUsd, '--labor-usd');
      const ledger = await openLedger(flags);
      try {
        const configured = configuredFineTune(ledger.config);
        const options = {
          ...configured,
          targetModel: flags.targetModel?.trim() || configured.targetModel,
          trainingUsd: trainingUsd ?? configured.trainingUsd,
          laborUsd: laborUsd ?? configured.laborUsd,
        };
        const context = adviseContext({ engine: ledger.engine, config: ledger.config, asOf, now: () => new Date() });
        const found = await fineTuneCase(context, flags.feature, options);
        if (!('break_even' in found)) {
          const fix = {
            no_calls: 'check the feature name, and that the rollup has run (ai-finops run rollup)',
            unknown_target: 'name a model the price list knows with --target-model (e.g. gpt-4.1-mini), or add it to pricing.negotiated_prices',
            already_on_target: 'name a smaller model with --target-model',
          }[found.reason];
          const message = `${found.message}: ${fix}`;
          throw found.reason === 'no_calls' ? new InputError(message) : new UsageError(message);
        }
        const b = found.break_even;
        const summary = b
          ? `Fine-tuning ${found.target_model} pays back its ${formatUsd(usd(b.one_off_usd))} after ${formatCount(b.calls)} calls, ` +
            `${Number.isFinite(b.months) ? `${b.months.toFixed(1)} months` : 'never'} at the forecast volume.`
          : `${found.target_model} (fine-tuned, x${found.options.priceFactor}) costs no less per call than ${found.model} on this feature's calls: no break-even.`;
        const monthly = b ? usd(b.saving_per_call_usd * b.calls_per_month) : null;
        print({ as_of: asOf, ...fineTuneInputs(found), saving_usd_month: monthly, summary }, flags.json, () => renderCase(found, asOf, monthly, summary));
      } finally {
        await ledger.engine.close();
      }
    });
}

/** A money flag: a plain decimal amount in USD. */
function amount(text: string, flag: string): number {
  if (!/^\d+(\.\d{1,9})?$/.test(text.trim())) throw new UsageError(`${flag} "${text}" is not an amount in US dollars: write e.g. ${flag} 500`);
  return Number(text);
}

/** A cost per call to three significant digits ('$0.0135'): cents would round most of them away. */
function perCall(amount: number): string {
  return `$${amount.toLocaleString('en-US', { maximumSignificantDigits: 3 })}`;
}

function renderCase(c: FineTuneCase, asOf: string, monthly: string | null, summary: string): string {
  const b = c.break_even;
  const lines: [string, string][] = [
    ['current model', `${c.model}${c.provider ? ` (${c.provider})` : ''}`],
    ['target model', `${c.target_model} (list rates x ${c.options.priceFactor})`],
    [
      'tokens per call',
      `${formatCount(Math.round(c.per_call.input))} input (${formatPercent(c.per_call.input > 0 ? c.per_call.cachedInput / c.per_call.input : 0)} cached), ` +
        `${formatCount(Math.round(c.per_call.output))} output`,
    ],
    ['one-off cost', `${formatUsd(usd(c.options.trainingUsd + c.options.laborUsd))} (training ${formatUsd(usd(c.options.trainingUsd))}, labor ${formatUsd(usd(c.options.laborUsd))})`],
  ];
  if (b) {
    lines.push(
      ['cost per call', `${perCall(b.cost_per_call_usd)} now, ${perCall(b.target_cost_per_call_usd)} fine-tuned: ${perCall(b.saving_per_call_usd)} saved`],
      ['break-even', `${formatCount(b.calls)} calls, ${formatTokens(b.tokens)} tokens`],
      ['forecast volume', `${formatCount(Math.round(b.calls_per_month))} calls a month`],
      ['months to break even', Number.isFinite(b.months) ? b.months.toFixed(1) : 'never (no forecast volume)'],
      ['then saved', `${formatUsd(monthly)} a month`],
    );
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  return [`Fine-tune break-even for ${c.feature} as of ${asOf}`, '', ...lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`), '', summary].join('\n');
}
