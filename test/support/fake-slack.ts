import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * A stand-in for Slack's Web API on 127.0.0.1, just large enough for the real @slack/web-api client: tests run the
 * production path (form encoding, error mapping, the three-step file upload) with no network. It records every
 * request and answers with Slack's shapes, or with answers a test scripts (429 with Retry-After, 500, ok:false).
 *
 * | route                             | what the client sends                                   |
 * |-----------------------------------|---------------------------------------------------------|
 * | POST /api/chat.postMessage        | form-encoded; `blocks` arrives as a JSON string         |
 * | POST /api/files.getUploadURLExternal | form-encoded filename, length, alt_text              |
 * | POST /upload/{file_id}            | the file, multipart/form-data (the returned upload_url) |
 * | POST /api/files.completeUploadExternal | form-encoded; `files` a JSON string, channel_id, thread_ts |
 * Anything else is recorded as `unknown` and answered 404.
 */

export type SlackRoute = 'chat.postMessage' | 'files.getUploadURLExternal' | 'upload' | 'files.completeUploadExternal' | 'unknown';

export interface SlackRequest {
  route: SlackRoute;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The form fields, `blocks` and `files` parsed from their JSON strings. Empty for an upload. */
  form: Record<string, any>;
  /** The raw body (an upload's multipart bytes). */
  raw: Buffer;
  /** What the fake answered. */
  answer: SlackAnswer;
}

export interface SlackAnswer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** A 429 with Retry-After, as Slack rate-limits. */
export const rateLimited = (seconds: number): SlackAnswer => ({ status: 429, headers: { 'retry-after': String(seconds) }, body: { ok: false, error: 'ratelimited' } });
/** A 500 from Slack's edge. */
export const serverError = (): SlackAnswer => ({ status: 500, body: 'upstream connect error' });
/** `ok:false` with a reason (HTTP 200, as Slack answers). */
export const slackError = (error: string): SlackAnswer => ({ status: 200, body: { ok: false, error } });

const apiRoutes = new Set<SlackRoute>(['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal']);

export class FakeSlack {
  readonly requests: SlackRequest[] = [];
  /** Channel names the fake has seen, and the ids it answered for them. */
  readonly channelIds = new Map<string, string>();
  private readonly answers = new Map<SlackRoute, SlackAnswer[]>();
  private tsCounter = 0;
  private fileCounter = 0;

  private constructor(private readonly server: Server) {}

  /** Starts a fake on a free port of 127.0.0.1. */
  static async start(): Promise<FakeSlack> {
    const server = createServer();
    const fake = new FakeSlack(server);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** SLACK_API_URL for the client. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** Answers the next requests to `route` with these answers, in order, instead of the default. */
  answerNext(route: SlackRoute, ...answers: SlackAnswer[]): void {
    this.answers.set(route, [...(this.answers.get(route) ?? []), ...answers]);
  }

  requestsTo(route: SlackRoute): SlackRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** The messages Slack accepted (answered 200 and ok:true), in order. */
  get posts(): SlackRequest[] {
    return this.requestsTo('chat.postMessage').filter((r) => r.answer.status === 200 && (r.answer.body as { ok?: boolean }).ok === true);
  }

  reset(): void {
    this.requests.length = 0;
    this.answers.clear();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const method = path.startsWith('/api/') ? (path.slice(5) as SlackRoute) : null;
    const route: SlackRoute = method && apiRoutes.has(method) ? method : path.startsWith('/upload/') ? 'upload' : 'unknown';
    const contentType = req.headers['content-type'];
    const form: Record<string, any> = contentType?.startsWith('application/x-www-form-urlencoded') ? parseForm(raw.toString('utf8')) : {};
    const request: SlackRequest = { route, path, authorization: req.headers.authorization, contentType, form, raw, answer: { status: 0, body: null } };
    const answer = this.answers.get(route)?.shift() ?? this.defaultAnswer(request);
    request.answer = answer;
    this.requests.push(request);
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    const type = typeof answer.body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
    res.writeHead(answer.status, { 'content-type': type, ...answer.headers });
    res.end(body);
  }

  private defaultAnswer(request: SlackRequest): SlackAnswer {
    const { form } = request;
    switch (request.route) {
      case 'chat.postMessage': {
        const channel = this.channelId(String(form.channel));
        const ts = `1700000000.${String(++this.tsCounter).padStart(6, '0')}`;
        return ok({ channel, ts, message: { text: form.text, ts, ...(form.thread_ts ? { thread_ts: form.thread_ts } : {}) } });
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F${String(++this.fileCounter).padStart(7, '0')}`;
        return ok({ upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId });
      }
      case 'upload':
        return { status: 200, body: `OK - ${request.raw.length}` };
      case 'files.completeUploadExternal':
        return ok({ files: (form.files as { id: string; title?: string }[]).map((f) => ({ id: f.id, title: f.title })) });
      case 'unknown':
        return { status: 404, body: { ok: false, error: 'unknown_method' } };
    }
  }

  /** An id for a channel name, the same each time (an id passes through as it is). */
  private channelId(name: string): string {
    if (/^[CGD][A-Z0-9]{6,}$/.test(name)) return name;
    if (!this.channelIds.has(name)) this.channelIds.set(name, `C${String(this.channelIds.size + 1).padStart(8, '0')}`);
    return this.channelIds.get(name)!;
  }
}

/** One fake for a test file: started before its tests, reset before each, stopped after them all. */
export function useFakeSlack(): () => FakeSlack {
  let fake: FakeSlack | undefined;
  beforeAll(async () => void (fake = await FakeSlack.start()));
  beforeEach(() => fake!.reset());
  afterAll(() => fake!.stop());
  return () => fake!;
}

function ok(body: Record<string, unknown>): SlackAnswer {
  return { status: 200, body: { ok: true, ...body } };
}

/** A form-encoded body, with the fields the client sends as JSON strings parsed. */
function parseForm(text: string): Record<string, any> {
  const form: Record<string, any> = Object.fromEntries(new URLSearchParams(text));
  for (const field of ['blocks', 'files']) {
    if (typeof form[field] === 'string') form[field] = JSON.parse(form[field]);
  }
  return form;
}
