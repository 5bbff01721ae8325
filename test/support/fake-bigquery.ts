import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BigQuery } from '@google-cloud/bigquery';
import { PassThroughClient } from 'google-auth-library';
import { afterAll, beforeAll, vi } from 'vitest';
import { BigQueryEngine } from '../../functions/engine/bigquery.js';

/**
 * A stand-in for the BigQuery v2 REST API on 127.0.0.1, just large enough for the real @google-cloud/bigquery
 * client: tests run the production code path (parameter encoding, result parsing, retries) with no network and no
 * credentials. It records every request for assertions and answers with defaults a test can override.
 *
 * The routes the client v8 uses:
 * | route                | request                                                  | used by                      |
 * |----------------------|----------------------------------------------------------|------------------------------|
 * | jobs.insert          | POST /bigquery/v2/projects/{p}/jobs                      | createQueryJob, and query()  |
 * |                      |                                                          | whenever jobTimeoutMs is set |
 * | jobs.get             | GET  /bigquery/v2/projects/{p}/jobs/{job}                | job.getMetadata, polling     |
 * | jobs.query           | POST /bigquery/v2/projects/{p}/queries                   | query() without jobTimeoutMs |
 * | jobs.getQueryResults | GET  /bigquery/v2/projects/{p}/queries/{job}             | job.getQueryResults          |
 * | tables.insert        | POST /bigquery/v2/projects/{p}/datasets/{d}/tables       | dataset.createTable          |
 * | tables.get           | GET  /bigquery/v2/projects/{p}/datasets/{d}/tables/{t}   | table.get, table.exists      |
 * | tabledata.insertAll  | POST /bigquery/v2/projects/{p}/datasets/{d}/tables/{t}/insertAll | table.insert         |
 * Anything else is recorded as `unknown` and answered 404, so a stray request (say, to a metadata server pointed
 * here) shows up in `requests`. A jobs.insert with `configuration.dryRun` is a dry run: it answers at once with
 * `statistics.totalBytesProcessed` (by default 1 KiB per character of the query, or what `answerDryRuns` says) and
 * is recorded in `dryRuns`.
 */

export type Route =
  | 'jobs.insert'
  | 'jobs.get'
  | 'jobs.query'
  | 'jobs.getQueryResults'
  | 'tables.insert'
  | 'tables.get'
  | 'tabledata.insertAll'
  | 'unknown';

export interface RecordedRequest {
  route: Route;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, or null for a bodiless request; `any` so tests can reach into it. */
  body: any;
}

export interface Answer {
  status: number;
  body: unknown;
}

/** A query result as BigQuery's REST API writes it: every value a string (or null); INT64 timestamps in micros. */
export interface QueryResult {
  schema: { name: string; type: string; mode?: string }[];
  rows: (string | null)[][];
}

const routes: { route: Route; method: string; pattern: RegExp }[] = [
  { route: 'jobs.insert', method: 'POST', pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/jobs$/ },
  { route: 'jobs.get', method: 'GET', pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)$/ },
  { route: 'jobs.query', method: 'POST', pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/queries$/ },
  { route: 'jobs.getQueryResults', method: 'GET', pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/ },
  { route: 'tables.insert', method: 'POST', pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables$/ },
  { route: 'tables.get', method: 'GET', pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/ },
  {
    route: 'tabledata.insertAll',
    method: 'POST',
    pattern: /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)\/insertAll$/,
  },
];

/** An error answer shaped like Google's: the client turns it into an ApiError with this code and reason. */
export function apiError(status: number, reason: string, message: string): Answer {
  return { status, body: { error: { code: status, message, errors: [{ reason, message, domain: 'global' }] } } };
}

/** A dry run the fake answered: the query text and the bytes it said the query would process. */
export interface DryRun {
  query: string;
  bytes: number;
}

const bytesPerCharacter = (query: string) => query.length * 1024;

export class FakeBigQuery {
  readonly requests: RecordedRequest[] = [];
  readonly dryRuns: DryRun[] = [];
  private dryRunBytes: (query: string) => number = bytesPerCharacter;
  /** Tables created so far, as `dataset.table`: tables.insert answers 409 for these, tables.get 200. */
  readonly tables = new Set<string>();
  private result: QueryResult = { schema: [], rows: [] };
  private readonly answers = new Map<Route, Answer[]>();

  private constructor(private readonly server: Server) {}

  /** Starts a fake on a free port of 127.0.0.1. */
  static async start(): Promise<FakeBigQuery> {
    const server = createServer();
    const fake = new FakeBigQuery(server);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** `127.0.0.1:PORT`, e.g. for GCE_METADATA_HOST, so a metadata lookup would land here and be seen. */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The client's `apiEndpoint`. */
  get apiEndpoint(): string {
    return `http://${this.host}`;
  }

  /** The result every query returns until changed: one schema, rows in REST form. Empty schema: a script's. */
  answerQueries(result: QueryResult): void {
    this.result = result;
  }

  /** How many bytes each dry run says its query would process, until reset. */
  answerDryRuns(bytes: (query: string) => number): void {
    this.dryRunBytes = bytes;
  }

  /** Answers the next request to `route` with `answer` instead of the default (one-shot, in order). */
  answerNext(route: Route, answer: Answer): void {
    this.answers.set(route, [...(this.answers.get(route) ?? []), answer]);
  }

  requestsTo(route: Route): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Forgets requests, tables, answers and the query result, for the next test. */
  reset(): void {
    this.requests.length = 0;
    this.dryRuns.length = 0;
    this.dryRunBytes = bytesPerCharacter;
    this.tables.clear();
    this.answers.clear();
    this.result = { schema: [], rows: [] };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections(); // the client keeps connections alive
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(req);
    const match = routes
      .map(({ route, method, pattern }) => ({ route, params: req.method === method ? pattern.exec(url.pathname) : null }))
      .find((m) => m.params !== null);
    const route = match?.route ?? 'unknown';
    const recorded: RecordedRequest = {
      route,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text ? JSON.parse(text) : null,
    };
    this.requests.push(recorded);
    const answer = this.answers.get(route)?.shift() ?? this.defaultAnswer(recorded, match?.params?.slice(1) ?? []);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(answer.body));
  }

  private defaultAnswer(request: RecordedRequest, [project, second, third]: string[]): Answer {
    switch (request.route) {
      case 'jobs.insert': {
        const jobReference = { location: 'US', ...request.body.jobReference };
        const { configuration } = request.body;
        if (configuration.dryRun) {
          const dryRun = { query: String(configuration.query.query), bytes: this.dryRunBytes(String(configuration.query.query)) };
          this.dryRuns.push(dryRun);
          const totalBytesProcessed = String(dryRun.bytes);
          return ok({ kind: 'bigquery#job', jobReference, configuration, status: { state: 'DONE' }, statistics: { totalBytesProcessed, query: { totalBytesProcessed } } });
        }
        return ok({ kind: 'bigquery#job', jobReference, configuration, status: { state: 'DONE' } });
      }
      case 'jobs.get':
        return ok({ kind: 'bigquery#job', jobReference: { projectId: project, jobId: second }, status: { state: 'DONE' } });
      case 'jobs.query':
        return ok({ kind: 'bigquery#queryResponse', jobReference: { projectId: project, jobId: randomUUID() }, ...this.resultBody() });
      case 'jobs.getQueryResults':
        return ok({ kind: 'bigquery#getQueryResultsResponse', jobReference: { projectId: project, jobId: second }, ...this.resultBody() });
      case 'tables.insert': {
        const id = `${second}.${request.body.tableReference.tableId}`;
        if (this.tables.has(id)) return apiError(409, 'duplicate', `Already Exists: Table ${project}:${id}`);
        this.tables.add(id);
        return ok({ kind: 'bigquery#table', ...request.body });
      }
      case 'tables.get':
        return this.tables.has(`${second}.${third}`)
          ? ok({ kind: 'bigquery#table', tableReference: { projectId: project, datasetId: second, tableId: third } })
          : apiError(404, 'notFound', `Not found: Table ${project}:${second}.${third}`);
      case 'tabledata.insertAll':
        return ok({ kind: 'bigquery#tableDataInsertAllResponse' });
      case 'unknown':
        return apiError(404, 'notFound', `the fake BigQuery does not serve ${request.method} ${request.path}`);
    }
  }

  private resultBody(): Record<string, unknown> {
    const { schema, rows } = this.result;
    if (schema.length === 0) return { jobComplete: true };
    return {
      jobComplete: true,
      schema: { fields: schema.map((f) => ({ mode: 'NULLABLE', ...f })) },
      rows: rows.map((row) => ({ f: row.map((v) => ({ v })) })),
      totalRows: String(rows.length),
    };
  }
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A fake started before the tests of the calling file (or describe block) and stopped after them, with the GCE
 * metadata host pointed at it, so the client's credential lookup never leaves 127.0.0.1. `engine()` is a
 * BigQueryEngine on the real client, talking to the fake (dataset `finops` of `test-project`).
 */
export function useFakeBigQuery(): { fake: () => FakeBigQuery; engine: () => BigQueryEngine } {
  let fake: FakeBigQuery | undefined;
  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    vi.stubEnv('GCE_METADATA_HOST', fake.host);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await fake?.stop();
  });
  const started = () => fake ?? (() => { throw new Error('useFakeBigQuery: the fake starts in beforeAll'); })();
  return {
    fake: started,
    engine: () => {
      const bigquery = new BigQuery({ projectId: 'test-project', apiEndpoint: started().apiEndpoint, authClient: new PassThroughClient() });
      return new BigQueryEngine({ projectId: 'test-project', dataset: 'finops', bigquery });
    },
  };
}
