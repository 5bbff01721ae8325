/**
 * A throwaway PostgreSQL cluster for the benchmark: Debian's package, initialised in a fresh temp folder, listening
 * only on 127.0.0.1 on a free port, with bench/postgres/postgresql.conf appended to its settings; `stop()` shuts it
 * down (pg_ctl stop -m fast) and deletes the folder. PostgreSQL refuses to run as root, so when we are root the
 * server programs run as the `postgres` OS user (runuser), which then owns the folder.
 */
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface PostgresServer {
  host: '127.0.0.1';
  port: number;
  /** `postgres (PostgreSQL) 15.x`, for the results. */
  version: string;
  /** Stops the server and deletes its folder; synchronous, so a signal handler can call it; safe to call twice. */
  stop(): void;
}

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

/** A server program as the user who may run it: `postgres` when we are root, else ourselves. */
function command(bin: string, program: string, args: string[]): [string, string[]] {
  const path = join(bin, program);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

/** Where initdb, pg_ctl and postgres live (Debian keeps them out of PATH, in /usr/lib/postgresql/<major>/bin). */
function binDir(): string {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch (cause) {
    throw new Error('PostgreSQL is not installed (no pg_config on PATH): apt-get install postgresql', { cause });
  }
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

const osId = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());

/** Initialises and starts a cluster with the settings of `settingsFile`; the caller must `stop()` it. */
export async function startPostgres(settingsFile: string, progress: (line: string) => void): Promise<PostgresServer> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'ai-finops-pg-'));
  if (asRoot) chownSync(dir, osId('-u'), osId('-g'));
  const data = join(dir, 'data');
  // the programs run from the cluster's folder: the postgres user may not be allowed into ours
  const inFolder = { cwd: dir };
  let stopped = false;
  let started = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      // pg_ctl fails when the server is already down (say, it was killed): then there is nothing left to stop
      if (started) {
        execFileSync(...command(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']), { ...inFolder, stdio: 'ignore' });
      }
    } catch {
      // nothing to stop
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const port = await freePort();
    // C collation, as DuckDB compares text: byte order. The ledger's ids and labels are ASCII, and C is what a
    // PostgreSQL user picks for such columns because it sorts them fastest (the parallel plans sort partial groups).
    // Trust authentication: the server listens on 127.0.0.1 only, and lives for one run.
    const initdb = ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'];
    await run(...command(bin, 'initdb', initdb), inFolder);
    appendFileSync(
      join(data, 'postgresql.conf'),
      `\n# bench/postgres/postgresql.conf\n${readFileSync(settingsFile, 'utf8')}\n` +
        `listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\n`,
    );
    const { stdout: version } = await run(...command(bin, 'postgres', ['--version']), inFolder);
    progress(`starting ${version.trim()} on 127.0.0.1:${port}`);
    started = true;
    await run(...command(bin, 'pg_ctl', ['start', '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '120']), inFolder);
    return { host: '127.0.0.1', port, version: version.trim(), stop };
  } catch (error) {
    const log = started ? readLog(join(dir, 'server.log')) : '';
    stop();
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}${log}`, { cause: error });
  }
}

function readLog(path: string): string {
  try {
    return '\n' + readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
