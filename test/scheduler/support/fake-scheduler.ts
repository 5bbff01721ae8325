import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';

/**
 * A stand-in for the Cloud Scheduler v1 REST API on 127.0.0.1, just large enough for the real
 * @google-cloud/scheduler client in REST fallback mode. It serves the three calls the CLI makes:
 * | route | request                                        | used by  |
 * |-------|------------------------------------------------|----------|
 * | list  | GET  /v1/projects/{p}/locations/{l}/jobs       | listJobs (two jobs a page, so paging is exercised) |
 * | get   | GET  /v1/projects/{p}/locations/{l}/jobs/{id}  | getJob   |
 * | run   | POST /v1/projects/{p}/locations/{l}/jobs/{id}:run | runJob: stamps lastAttemptTime |
 * Jobs are kept in the API's JSON form; enums go out as numbers when the client asks (`$alt=json;enum-encoding=int`,
 * as the Node client does), as names otherwise. Anything else is answered 404 and recorded.
 */

export interface FakeJob {
  name: string;
  schedule: string;
  timeZone: string;
  state: 'ENABLED' | 'PAUSED' | 'DISABLED' | 'UPDATE_FAILED';
  httpTarget?: { uri: string; httpMethod: 'POST' | 'GET'; oidcToken?: { serviceAccountEmail: string; audience: string } };
  lastAttemptTime?: string;
  scheduleTime?: string;
  status?: { code: number; message: string };
}

export interface RecordedRequest {
  route: 'list' | 'get' | 'run' | 'unknown';
  method: string;
  path: string;
  query: Record<string, string>;
}

const states = ['STATE_UNSPECIFIED', 'ENABLED', 'PAUSED', 'DISABLED', 'UPDATE_FAILED'];
const methods = ['HTTP_METHOD_UNSPECIFIED', 'POST', 'GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const pageSize = 2;

export class FakeScheduler {
  readonly requests: RecordedRequest[] = [];
  readonly jobs = new Map<string, FakeJob>();
  /** The instant runJob stamps as the last attempt. */
  clock = '2026-12-01T08:00:00Z';
  private readonly failures: { status: number; grpc: string; message: string }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeScheduler> {
    const server = createServer();
    const fake = new FakeScheduler(server);
    server.on('request', (req, res) => {
      void fake.answer(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** FINOPS_SCHEDULER_API_ENDPOINT for the client. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  addJob(job: FakeJob): void {
    this.jobs.set(job.name, job);
  }

  /** The next request fails with this HTTP status and Google error status (one-shot). */
  failNext(status: number, grpc: string, message: string): void {
    this.failures.push({ status, grpc, message });
  }

  reset(): void {
    this.requests.length = 0;
    this.jobs.clear();
    this.failures.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async answer(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    for await (const _ of req); // drain the body: runJob sends {"name": ...}, which the path already carries
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const list = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+)\/jobs$/.exec(path);
    const run = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/jobs\/[^/:]+):run$/.exec(path);
    const get = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/jobs\/[^/:]+)$/.exec(path);
    const route = req.method === 'GET' && list ? 'list' : req.method === 'POST' && run ? 'run' : req.method === 'GET' && get ? 'get' : 'unknown';
    this.requests.push({ route, method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams) });
    const failure = this.failures.shift();
    if (failure) return error(failure.status, failure.grpc, failure.message);
    const ints = (url.searchParams.get('$alt') ?? '').includes('enum-encoding=int');
    switch (route) {
      case 'list': {
        const all = [...this.jobs.values()].filter((job) => job.name.startsWith(list![1] + '/jobs/'));
        const start = Number(url.searchParams.get('pageToken') || 0);
        const page = all.slice(start, start + pageSize).map((job) => wire(job, ints));
        const next = start + pageSize < all.length ? String(start + pageSize) : undefined;
        return { status: 200, body: { jobs: page, ...(next ? { nextPageToken: next } : {}) } };
      }
      case 'get':
      case 'run': {
        const job = this.jobs.get((get ?? run)![1]);
        if (!job) return error(404, 'NOT_FOUND', `Job not found: ${(get ?? run)![1]}.`);
        if (route === 'run') {
          job.lastAttemptTime = this.clock;
          delete job.status;
        }
        return { status: 200, body: wire(job, ints) };
      }
      case 'unknown':
        return error(404, 'NOT_FOUND', `the fake Cloud Scheduler does not serve ${req.method} ${path}`);
    }
  }
}

function wire(job: FakeJob, ints: boolean): unknown {
  const target = job.httpTarget && {
    ...job.httpTarget,
    httpMethod: ints ? methods.indexOf(job.httpTarget.httpMethod) : job.httpTarget.httpMethod,
  };
  return { ...job, state: ints ? states.indexOf(job.state) : job.state, ...(target ? { httpTarget: target } : {}) };
}

function error(status: number, grpc: string, message: string): { status: number; body: unknown } {
  return { status, body: { error: { code: status, message, status: grpc } } };
}

/** The project and region the CLI tests deploy to; the jobs' parent. */
export const testParent = 'projects/demo-project/locations/europe-west1';

/**
 * Starts a fake for the test file and points the CLI's environment at it before each test (FINOPS_BQ_PROJECT,
 * FINOPS_REGION, FINOPS_SCHEDULER_API_ENDPOINT), with no jobs; returns the fake (valid once the file's tests run).
 */
export function useFakeScheduler(): { readonly fake: FakeScheduler } {
  const handle = {} as { fake: FakeScheduler };
  beforeAll(async () => (handle.fake = await FakeScheduler.start()));
  afterAll(() => handle.fake.stop());
  beforeEach(() => {
    handle.fake.reset();
    vi.stubEnv('FINOPS_BQ_PROJECT', 'demo-project');
    vi.stubEnv('FINOPS_REGION', 'europe-west1');
    vi.stubEnv('FINOPS_SCHEDULER_API_ENDPOINT', handle.fake.endpoint);
  });
  afterEach(() => vi.unstubAllEnvs());
  return handle;
}
