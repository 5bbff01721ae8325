import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';

export interface FunctionAnswer {
  status: number;
  body: any;
}

/**
 * Calls a function registered with the functions framework as Cloud Scheduler would: the framework's own test
 * server (its body parsing, its error handling), listening on 127.0.0.1 for the one request.
 */
export async function callFunction(
  name: string,
  body: string | undefined,
  { method = 'POST', contentType = 'application/json' }: { method?: string; contentType?: string } = {},
): Promise<FunctionAnswer> {
  const server: Server = getTestServer(name);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
