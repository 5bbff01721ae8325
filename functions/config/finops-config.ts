import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { problemsError, schemaProblems, syntaxProblems, type SourceFile } from './config-problems.js';
import { fileSchema, moneyKeys, type FeatureSettings, type fermiSchema, type FileSettings } from './config-schema.js';

/**
 * The feature config, `finops.config.yaml`: per feature its unit of work, budgets, owner and model policy, plus
 * detector thresholds and advice settings. It is read once at start, validated completely (one ConfigError listing
 * every problem, each naming its key), and handed around as a frozen object, so no job meets a bad setting halfway
 * through a run. `finops.config.example.yaml` documents every key.
 *
 * Which file: `--config FILE`, else `FINOPS_CONFIG`, else `./finops.config.yaml` if present, else the defaults
 * (CONTRACT.md). The caller picks it with resolveConfigPath and loads it with loadFinopsConfig.
 */

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A Fermi prior for a new feature: each factor as a {low, high} range, 0 < low <= high. */
export type FermiPrior = DeepReadonly<z.output<typeof fermiSchema>>;

/**
 * One feature's settings: its own keys over the file's `defaults` over the built-in defaults. Every key is
 * present; null means "not set", and each consumer says what it does then. Money is exact decimal text.
 */
export interface FeatureConfig {
  /**
   * What one unit of work is: `outcomes` (rows in the outcomes table) or `calls` (the feature's `ok` logical
   * requests). null: outcomes if the feature has any outcome rows, else calls.
   */
  readonly unit: 'outcomes' | 'calls' | null;
  /** A person's name for one unit, e.g. "resolved ticket"; null: "outcome" or "call" by unit. */
  readonly unit_name: string | null;
  /** The most one unit should cost; above it, a `budget_overrun` finding. */
  readonly budget_per_unit_usd: string | null;
  /** What one unit is worth (e.g. the human task it replaces), for return on spend. */
  readonly value_per_unit_usd: string | null;
  /** The month's budget; a month-end forecast above it is a `budget_overrun` finding. */
  readonly monthly_budget_usd: string | null;
  /** Who answers for the feature's spend: shown beside its findings. */
  readonly owner: string | null;
  /** Where its pages and findings go; null: slack.default_channel. */
  readonly slack_channel: string | null;
  /** The quality (0..1) a model must reach in this feature's calls to count as good enough; null: no routing advice. */
  readonly quality_bar: number | null;
  /** Attempts allowed per logical request; more is a `retry_cap_exceeded` finding. Default 3. */
  readonly retry_cap: number;
  /** Models the feature may use; empty: no list kept, nothing is flagged. Lists replace, they do not merge. */
  readonly approved_models: readonly string[];
  /** Approved fallbacks if the main model is deprecated or down; empty: a `no_fallback_model` finding. */
  readonly fallback_models: readonly string[];
  /** A prior for the forecast while the feature has under 28 days of data. */
  readonly fermi: FermiPrior | null;
}

export type DetectorConfig = DeepReadonly<FileSettings['detectors']>;

export interface FinopsConfig {
  readonly version: 1;
  /** Where the settings came from: a file path, or "built-in defaults". */
  readonly source: string;
  /** The settings of any feature the file does not list. */
  readonly defaults: FeatureConfig;
  /** The features the file lists, each already merged over `defaults`. Read them with featureConfig. */
  readonly features: Readonly<Record<string, FeatureConfig>>;
  readonly detectors: DetectorConfig;
  readonly rollup: DeepReadonly<FileSettings['rollup']>;
  readonly ingest: DeepReadonly<FileSettings['ingest']>;
  /** Which attributes, metadata keys or tags carry feature, segment and customer in foreign record shapes. */
  readonly shapes: DeepReadonly<FileSettings['shapes']>;
  /** `negotiated_prices`: when loaded from a file, a relative path is resolved against the config file's folder. */
  readonly pricing: DeepReadonly<FileSettings['pricing']>;
  readonly slack: DeepReadonly<FileSettings['slack']>;
  /** The billing account each provider invoices (FOCUS BillingAccountId / BillingAccountName), by provider. */
  readonly billing: DeepReadonly<FileSettings['billing']>;
  readonly advice: DeepReadonly<FileSettings['advice']>;
  /** Caps on bytes billed per query (by job label) and the on-demand price per TiB, for FINOPS_ENGINE=bigquery. */
  readonly bigquery: DeepReadonly<FileSettings['bigquery']>;
}

const builtInFeature: FeatureConfig = {
  unit: null,
  unit_name: null,
  budget_per_unit_usd: null,
  value_per_unit_usd: null,
  monthly_budget_usd: null,
  owner: null,
  slack_channel: null,
  quality_bar: null,
  retry_cap: 3,
  approved_models: [],
  fallback_models: [],
  fermi: null,
};

/**
 * Parses and validates the text of a config file. `source` names it in errors (a path, or a label).
 * @throws ConfigError listing every problem: YAML syntax errors with their line, then each bad or unknown key.
 * @example parseFinopsConfig('version: 1\nfeatures:\n  support_bot:\n    retry_cap: 2\n', 'inline').features.support_bot.retry_cap // 2
 */
export function parseFinopsConfig(text: string, source: string): FinopsConfig {
  return build(text, source, undefined);
}

/** The configuration when there is no file. */
export const defaultConfig: FinopsConfig = build('version: 1\n', 'built-in defaults', undefined);

/**
 * Reads the config file at `path`; undefined (no file chosen, none in the working folder) gives the defaults.
 * A path that was named but does not exist is an error, not a silent fallback: a mistyped `--config` must not
 * quietly drop every budget and threshold.
 * @throws ConfigError when the file cannot be read or is not valid.
 */
export async function loadFinopsConfig(path: string | undefined): Promise<FinopsConfig> {
  if (path === undefined) return defaultConfig;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      missing
        ? `config file ${path} does not exist: fix the path given by --config or FINOPS_CONFIG, or unset it to run on the defaults`
        : `cannot read the config file ${path}: check that it is a readable file`,
      { cause },
    );
  }
  return build(text, path, dirname(resolve(path)));
}

/**
 * Which config file to read: the flag, else FINOPS_CONFIG, else `finops.config.yaml` in `cwd` if it exists, else
 * none (undefined: the defaults). Empty values count as unset; relative paths are resolved against `cwd`.
 */
export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const chosen = flag?.trim() || env.FINOPS_CONFIG?.trim();
  if (chosen) return resolve(cwd, chosen);
  const local = resolve(cwd, 'finops.config.yaml');
  return existsSync(local) ? local : undefined;
}

/** A feature's settings; a feature the file does not list (or calls with no feature) gets the defaults. */
export function featureConfig(config: FinopsConfig, feature: string | null): FeatureConfig {
  return feature !== null && Object.hasOwn(config.features, feature) ? config.features[feature] : config.defaults;
}

function build(text: string, source: string, baseDir: string | undefined): FinopsConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const file: SourceFile = { text, doc, lineCounter };
  const syntax = syntaxProblems(file);
  if (syntax.length > 0) throw problemsError(source, syntax);

  keepMoneyAsWritten(file);
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) throw problemsError(source, schemaProblems(parsed.error.issues, file, fileSchema));

  const settings = parsed.data;
  const defaults = merge(builtInFeature, settings.defaults);
  const features = Object.fromEntries(Object.entries(settings.features).map(([name, own]) => [name, merge(defaults, own)]));
  const prices = settings.pricing.negotiated_prices;
  const config: FinopsConfig = {
    version: 1,
    source,
    defaults,
    features,
    detectors: settings.detectors,
    rollup: settings.rollup,
    ingest: settings.ingest,
    shapes: settings.shapes,
    pricing: { negotiated_prices: prices !== null && baseDir && !isAbsolute(prices) ? resolve(baseDir, prices) : prices },
    slack: settings.slack,
    billing: settings.billing,
    advice: settings.advice,
    bigquery: settings.bigquery,
  };
  return deepFreeze(config);
}

/**
 * YAML reads `0.10` as the float 0.1; for money keys, put back the digits as written so no amount passes through
 * a float and "0.10" stays "0.10". (A money key's bad value, like `-5` or `.nan`, then fails the schema as text.)
 */
function keepMoneyAsWritten(file: SourceFile): void {
  visit(file.doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !moneyKeys.has(String(pair.key.value))) return;
      if (isScalar(pair.value) && typeof pair.value.value === 'number' && pair.value.source !== undefined) {
        pair.value.value = pair.value.source;
      }
    },
  });
}

/** The keys a feature sets, over a base. Lists replace the base's list rather than adding to it. */
function merge(base: FeatureConfig, own: FeatureSettings): FeatureConfig {
  const set = Object.fromEntries(Object.entries(own).filter(([, value]) => value !== undefined));
  return { ...base, ...set } as FeatureConfig;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
