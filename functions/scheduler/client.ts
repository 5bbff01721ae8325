import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import { PassThroughClient } from 'google-auth-library';
import type { Settings } from '../config/settings.js';
import { ConfigError } from '../errors.js';

/**
 * The Cloud Scheduler client for the project and region of the deployment (FINOPS_BQ_PROJECT, FINOPS_REGION).
 *
 * It speaks REST (`fallback: true`) rather than gRPC: the CLI makes a handful of calls, REST loads faster, and the
 * tests run this very transport against a local server. The library is imported only when used, so the rest of
 * the CLI starts fast. FINOPS_SCHEDULER_API_ENDPOINT points it elsewhere; a
 * plain `http://` endpoint is taken to be a local fake and is called without credentials, as the BigQuery engine
 * does (functions/engine/bigquery.ts): credentials never travel over plain HTTP, and no metadata server is asked.
 */
export interface Scheduler {
  client: CloudSchedulerClient;
  /** `projects/P/locations/R`: where the jobs live. */
  parent: string;
}

export async function schedulerFromSettings(settings: Settings): Promise<Scheduler> {
  const project = settings.bigquery.project;
  if (!project) throw new ConfigError('FINOPS_BQ_PROJECT is not set: set it to the Google Cloud project the jobs are deployed in');
  const region = settings.region;
  if (!region) throw new ConfigError('FINOPS_REGION is not set: set it to the region of the Cloud Scheduler jobs (terraform output region)');
  const { CloudSchedulerClient } = await import('@google-cloud/scheduler');
  return { client: createClient(CloudSchedulerClient, project, settings.schedulerApiEndpoint), parent: `projects/${project}/locations/${region}` };
}

type ClientAuth = NonNullable<ConstructorParameters<typeof CloudSchedulerClient>[0]>['authClient'];

function createClient(Client: typeof CloudSchedulerClient, projectId: string, endpoint: string | undefined): CloudSchedulerClient {
  if (endpoint === undefined) return new Client({ projectId, fallback: true });
  let url: URL;
  try {
    url = new URL(endpoint.includes('://') ? endpoint : `https://${endpoint}`);
  } catch (cause) {
    throw new ConfigError(`FINOPS_SCHEDULER_API_ENDPOINT "${endpoint}" is not a URL: write it as https://host[:port]`, { cause });
  }
  const local = url.protocol === 'http:';
  return new Client({
    projectId,
    fallback: true,
    apiEndpoint: url.hostname,
    // The client joins host and port itself and would otherwise take 443 whatever the endpoint says.
    port: Number(url.port || (local ? 80 : 443)),
    // The client bundles its own copy of google-auth-library; the pass-through client works with either copy, but
    // TypeScript sees two classes.
    ...(local ? { protocol: 'http', authClient: new PassThroughClient() as unknown as ClientAuth } : {}),
  });
}
