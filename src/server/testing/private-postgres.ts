import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A private PostgreSQL cluster for one fault test: `initdb` into a temp dir, `pg_ctl start` on a free loopback
 * port, and stop / restart / kill at will — restarting it disturbs no other test (the shared server on 5432 is
 * never touched). Debian's binaries live in /usr/lib/postgresql/<major>/bin. Postgres refuses to run as root, so
 * when we are root every command runs as the `postgres` OS user (`runuser`), which then owns the temp dir.
 */
const run = promisify(execFile);

export type PrivatePostgres = {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth, loopback only). */
  url: string;
  port: number;
  dataDir: string;
  /** A connection string for another database on this cluster. */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<string>;
  start(): Promise<void>;
  /** mode fast: disconnects clients and stops cleanly; immediate: like a crash (recovery at next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  restart(options?: { downMs?: number; mode?: 'fast' | 'immediate' }): Promise<void>;
  running(): boolean;
  /** Stops the cluster (if running) and deletes its files. */
  destroy(): Promise<void>;
};

export function findPostgresBinDir(): string | undefined {
  if (process.env.PG_BIN_DIR && existsSync(join(process.env.PG_BIN_DIR, 'initdb')))
    return process.env.PG_BIN_DIR;
  for (const major of ['17', '16', '15', '14']) {
    const dir = `/usr/lib/postgresql/${major}/bin`;
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return found ? found.replace(/\/initdb$/, '') : undefined;
}

/** Whether this machine can start private clusters (the binaries exist; as root, a `postgres` user too). */
export function canRunPrivatePostgres(): boolean {
  if (!findPostgresBinDir()) return false;
  if (process.getuid?.() !== 0) return true;
  return spawnSync('id', ['-u', 'postgres']).status === 0;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(options: { port?: number } = {}): Promise<PrivatePostgres> {
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  const asRoot = process.getuid?.() === 0;
  const root = mkdtempSync(join(tmpdir(), 'cc-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'postgres.log');
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(root, uid, gid);
  }
  chmodSync(root, 0o700);
  const as = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(binDir, tool), ...args])
      : run(join(binDir, tool), args);

  await as('initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  const port = options.port ?? (await freePort());
  // Unix socket in our own dir (not /var/run/postgresql, shared with the main cluster); TCP on loopback only.
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  let up = false;

  const logTail = () =>
    existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
  const start = async () => {
    try {
      await as('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', logFile, '-w', '-t', '30', 'start']);
    } catch (error) {
      throw new Error(
        `private postgres failed to start on ${port}: ${(error as Error).message}\n${logTail()}`,
      );
    }
    up = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!up) return;
    await as('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
    up = false;
  };
  await start();

  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url: urlFor('postgres'),
    port,
    dataDir,
    urlFor,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await as('psql', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-c',
        `create database ${name}`,
      ]);
      return urlFor(name);
    },
    start,
    stop,
    async restart({ downMs = 0, mode = 'fast' } = {}) {
      await stop(mode);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    running: () => up,
    async destroy() {
      try {
        await stop('immediate');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
