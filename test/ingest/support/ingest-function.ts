import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { DuckDBEngine } from '../../../functions/engine/duckdb.js';
import type { Row } from '../../../functions/engine/engine.js';
import { ingestHandler } from '../../../functions/http/ingest-handler.js';
import type { LogFields, Severity } from '../../../functions/http/log.js';
import { tableNames } from '../../../functions/schema/tables.js';
import { tempFolder } from '../../support/tmp.js';

/**
 * The ingest function on a fresh DuckDB ledger file, registered under its own name and posted to in-process through
 * the functions framework's test server on 127.0.0.1 (its body parsing included), with its log kept in a list.
 */
export interface IngestFunction {
  post(body: string | Buffer, contentType?: string): Promise<{ status: number; body: any }>;
  /** A request without a body, e.g. a GET. */
  send(method: string): Promise<{ status: number; body: any }>;
  /** Every row of every table of the ledger, by table. */
  tables(): Promise<Record<string, Row[]>>;
  query(sql: string): Promise<Row[]>;
  log: { severity: Severity; message: string; fields: LogFields }[];
  remove(): void;
}

let n = 0;

export async function ingestFunction({ config = '', env = {} }: { config?: string; env?: NodeJS.ProcessEnv } = {}): Promise<IngestFunction> {
  const folder = tempFolder();
  const ledgerPath = `${folder.dir}/ledger.duckdb`;
  const engine = await DuckDBEngine.open(ledgerPath);
  await engine.ensureTables();
  await engine.close();
  const configPath = folder.file('finops.config.yaml', `version: 1\n${config}`);
  const name = `ingest-test-${n++}`;
  const log: IngestFunction['log'] = [];
  http(
    name,
    ingestHandler({
      env: { FINOPS_ENGINE: 'duckdb', FINOPS_DUCKDB_PATH: ledgerPath, FINOPS_CONFIG: configPath, ...env },
      log: (severity, message, fields = {}) => log.push({ severity, message, fields }),
      now: () => new Date('2026-11-05T12:00:00Z'),
    }),
  );
  const read = async <T>(work: (ledger: DuckDBEngine) => Promise<T>): Promise<T> => {
    const ledger = await DuckDBEngine.open(ledgerPath);
    try {
      return await work(ledger);
    } finally {
      await ledger.close();
    }
  };
  return {
    log,
    post: (body, contentType = 'application/json') => request(name, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) }),
    send: (method) => request(name, { method }),
    query: (sql) => read((ledger) => ledger.exec(sql)),
    tables: () =>
      read(async (ledger) => {
        const all: Record<string, Row[]> = {};
        for (const table of tableNames) all[table] = await ledger.exec(`select * from ${table}`);
        return all;
      }),
    remove: folder.remove,
  };
}

async function request(name: string, init: RequestInit): Promise<{ status: number; body: any }> {
  const server: Server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, init);
    const text = await response.text();
    // JSON from the function; the framework's own refusals (a body it cannot parse) are HTML
    const json = response.headers.get('content-type')?.includes('application/json') ?? false;
    return { status: response.status, body: json ? JSON.parse(text) : text || null };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A realistic call record, with overrides. */
export function call(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ts: '2026-11-02T10:00:00Z',
    call_id: 'c1',
    feature: 'support_bot',
    segment: 'pro',
    customer_id: 'cust_42',
    provider: 'openai',
    model: 'gpt-4o-mini',
    prompt_id: 'triage@v3',
    input_tokens: 1000,
    cached_input_tokens: 200,
    output_tokens: 500,
    latency_ms: 900,
    status: 'ok',
    ...overrides,
  };
}
