import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { packageRoot } from '../../../functions/paths.js';

/**
 * The Terraform module in terraform/, parsed with @cdktf/hcl2json (no Terraform binary here): every .tf file as
 * JSON, where an expression is a string `${...}` and every block is a list of bodies. Tests read resources,
 * variables and outputs from it, and join it with the JSON files the module reads (jobs.json, sql/schema/).
 */

export const moduleDir = join(packageRoot, 'terraform');

export type Body = Record<string, any>;

export interface Module {
  /** The file name and its text, for every .tf file. */
  files: { name: string; text: string }[];
  /** The file name and its parsed JSON. */
  parsed: { name: string; json: Body }[];
  /** The body of `resource "type" "name"`; throws if there is not exactly one. */
  resource(type: string, name: string): Body;
  /** Every resource as [type, name, body]. */
  resources(): [string, string, Body][];
  variables: Record<string, Body>;
  outputs: Record<string, Body>;
  locals: Record<string, any>;
  data(type: string, name: string): Body;
}

export async function loadModule(): Promise<Module> {
  const names = readdirSync(moduleDir).filter((name) => name.endsWith('.tf')).sort();
  const files = names.map((name) => ({ name, text: readFileSync(join(moduleDir, name), 'utf8') }));
  const parsed = await Promise.all(files.map(async ({ name, text }) => ({ name, json: (await parse(name, text)) as Body })));
  const blocks = (kind: string) => parsed.flatMap(({ json }) => (json[kind] ? [json[kind] as Body] : []));
  const only = (bodies: Body[] | undefined, what: string): Body => {
    if (!bodies || bodies.length !== 1) throw new Error(`expected one ${what}, found ${bodies?.length ?? 0}`);
    return bodies[0]!;
  };
  const resources = (): [string, string, Body][] =>
    blocks('resource').flatMap((byType) =>
      Object.entries(byType).flatMap(([type, byName]) =>
        Object.entries(byName as Body).flatMap(([name, bodies]) => (bodies as Body[]).map((body): [string, string, Body] => [type, name, body])),
      ),
    );
  const singles = (kind: string) =>
    Object.fromEntries(blocks(kind).flatMap((byName) => Object.entries(byName).map(([name, bodies]) => [name, only(bodies as Body[], `${kind} ${name}`)])));
  return {
    files,
    parsed,
    resources,
    resource: (type, name) => only(resources().filter(([t, n]) => t === type && n === name).map(([, , body]) => body), `resource ${type}.${name}`),
    variables: singles('variable'),
    outputs: singles('output'),
    locals: Object.assign({}, ...blocks('locals').flatMap((list) => list as unknown as Body[])),
    data: (type, name) => only(blocks('data').flatMap((byType) => (byType[type]?.[name] as Body[]) ?? []), `data ${type}.${name}`),
  };
}

/** The single body of a nested block (`http_target { ... }` parses as a list of one). */
export function block(body: Body, name: string): Body {
  const list = body[name] as Body[] | undefined;
  if (!Array.isArray(list) || list.length !== 1) throw new Error(`expected one ${name} block, found ${list?.length ?? 0}`);
  return list[0]!;
}

/** The JSON files the module reads, as it reads them. */
export function moduleJson(relative: string): any {
  return JSON.parse(readFileSync(join(moduleDir, relative), 'utf8'));
}
