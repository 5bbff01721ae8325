import { ConfigError } from '../errors.js';
import { piiSaltFrom, type PseudonymSalt } from '../pii/pseudonymize.js';

/**
 * Everything ai-finops reads from the environment, parsed once into a typed object (functions and CLI alike).
 * The names are fixed by CONTRACT.md. Pass `env` in tests; production passes process.env.
 */
export interface Settings {
  engine: 'duckdb' | 'bigquery';
  duckdbPath: string;
  bigquery: {
    project: string | undefined;
    dataset: string | undefined;
    location: string | undefined;
    /** Tests point the client at a local server. */
    apiEndpoint: string | undefined;
  };
  region: string | undefined;
  schedulerApiEndpoint: string | undefined;
  configPath: string | undefined;
  slack: {
    botToken: string | undefined;
    channel: string | undefined;
    apiUrl: string | undefined;
  };
  /** FINOPS_PII_SALT, the key of customer_id pseudonyms (functions/pii/pseudonymize.ts); undefined when not set. */
  piiSalt: PseudonymSalt | undefined;
}

export const defaultDuckdbPath = './ai-finops.duckdb';

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

export function parseSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const engine = optional(env, 'FINOPS_ENGINE') ?? 'duckdb';
  if (engine !== 'duckdb' && engine !== 'bigquery') {
    throw new ConfigError(`FINOPS_ENGINE is "${engine}": set it to duckdb (the default) or bigquery`);
  }
  const settings: Settings = {
    engine,
    duckdbPath: optional(env, 'FINOPS_DUCKDB_PATH') ?? defaultDuckdbPath,
    bigquery: {
      project: optional(env, 'FINOPS_BQ_PROJECT'),
      dataset: optional(env, 'FINOPS_BQ_DATASET'),
      location: optional(env, 'FINOPS_BQ_LOCATION'),
      apiEndpoint: optional(env, 'FINOPS_BQ_API_ENDPOINT'),
    },
    region: optional(env, 'FINOPS_REGION'),
    schedulerApiEndpoint: optional(env, 'FINOPS_SCHEDULER_API_ENDPOINT'),
    configPath: optional(env, 'FINOPS_CONFIG'),
    slack: {
      botToken: optional(env, 'SLACK_BOT_TOKEN'),
      channel: optional(env, 'SLACK_CHANNEL'),
      apiUrl: optional(env, 'SLACK_API_URL'),
    },
    piiSalt: piiSaltFrom(env),
  };
  if (engine === 'bigquery') {
    for (const [name, value] of [
      ['FINOPS_BQ_PROJECT', settings.bigquery.project],
      ['FINOPS_BQ_DATASET', settings.bigquery.dataset],
    ] as const) {
      if (!value) throw new ConfigError(`${name} is not set: FINOPS_ENGINE=bigquery needs the project and dataset of the ledger`);
    }
    if (settings.bigquery.dataset && !/^[A-Za-z0-9_]{1,1024}$/.test(settings.bigquery.dataset)) {
      throw new ConfigError(`FINOPS_BQ_DATASET "${settings.bigquery.dataset}" is not a dataset id: use letters, digits and underscores`);
    }
  }
  return Object.freeze(settings);
}
