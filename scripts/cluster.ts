import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ChatNode, startChatNode } from '../src/server/faults/support/chat-node';
import { freePort, type PrivatePostgres, startPrivatePostgres } from '../src/server/testing/private-postgres';

/**
 * `npm run cluster -- --nodes 3`: N chat nodes on one Postgres behind Debian's nginx, all on loopback, for local
 * testing of the deployment in deploy/nginx.conf (the same file, with its upstream and listen lines rewritten).
 * Without DATABASE_URL it starts a private Postgres in a temp dir (deleted on exit). Ctrl-C stops everything.
 */
const NGINX_SITE = fileURLToPath(new URL('../deploy/nginx.conf', import.meta.url));

export function findNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) {
    if (existsSync(candidate)) return candidate;
  }
  const found = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
  return found || undefined;
}

/** deploy/nginx.conf with our upstream servers and listen port in place of the lines between its markers. */
export function renderSite(site: string, listenPort: number, upstreamPorts: number[]): string {
  const replaceBlock = (text: string, name: string, lines: string[]) => {
    const pattern = new RegExp(`( *)# cluster:${name}-begin\\n[\\s\\S]*?# cluster:${name}-end\\n`);
    if (!pattern.test(text)) throw new Error(`deploy/nginx.conf lost its "cluster:${name}" markers`);
    return text.replace(pattern, (_match, indent: string) =>
      lines.map((line) => `${indent}${line}\n`).join(''),
    );
  };
  const servers = upstreamPorts.map((port) => `server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`);
  return replaceBlock(replaceBlock(site, 'upstream', servers), 'listen', [`listen 127.0.0.1:${listenPort};`]);
}

/** A complete nginx.conf around the site: pid, logs and temp files in `dir`, one worker (2 shared cores). */
export function renderMainConfig(dir: string, sitePath: string): string {
  return [
    'worker_processes 1;',
    'worker_rlimit_nofile 16384;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 8192; }',
    'http {',
    `  access_log ${dir}/access.log;`,
    `  client_body_temp_path ${dir}/client_body;`,
    `  proxy_temp_path ${dir}/proxy;`,
    `  fastcgi_temp_path ${dir}/fastcgi;`,
    `  uwsgi_temp_path ${dir}/uwsgi;`,
    `  scgi_temp_path ${dir}/scgi;`,
    `  include ${sitePath};`,
    '}',
    '',
  ].join('\n');
}

export type RunningNginx = { url: string; port: number; dir: string; stop(): Promise<void> };

export async function startNginx(upstreamPorts: number[], listenPort?: number): Promise<RunningNginx> {
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx not found: apt-get install -y nginx');
  const port = listenPort ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'cc-nginx-'));
  // nginx's workers run as `nobody` when started by root: they must be able to reach the temp dirs.
  chmodSync(dir, 0o755);
  const sitePath = join(dir, 'communiconnect.conf');
  writeFileSync(sitePath, renderSite(readFileSync(NGINX_SITE, 'utf8'), port, upstreamPorts));
  const mainPath = join(dir, 'nginx.conf');
  writeFileSync(mainPath, renderMainConfig(dir, sitePath));
  const check = spawnSync(nginx, ['-t', '-q', '-p', dir, '-c', mainPath], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);
  const child = spawn(nginx, ['-p', dir, '-c', mainPath, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr?.on('data', (chunk) => errors.push(String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`nginx did not start: ${errors.join('')} ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    port,
    dir,
    async stop() {
      // SIGQUIT: graceful (finish open requests); nginx exits once its worker is done.
      if (child.exitCode === null) child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ClusterOptions = {
  nodes: number;
  databaseUrl?: string | undefined;
  listenPort?: number | undefined;
  /** Extra environment for every node (limits for load tests, log level). */
  env?: Record<string, string>;
  inheritOutput?: boolean;
  firstNodeArgs?: string[];
};

export type RunningCluster = {
  /** The balancer's address: what clients use. */
  url: string;
  databaseUrl: string;
  nodes: ChatNode[];
  nginx: RunningNginx;
  postgres: PrivatePostgres | undefined;
  stop(): Promise<void>;
};

export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  let postgres: PrivatePostgres | undefined;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    postgres = await startPrivatePostgres();
    databaseUrl = await postgres.createDatabase('communiconnect');
  }
  const nodes: ChatNode[] = [];
  try {
    // All at once, as a deploy would: the migration advisory lock keeps them from racing.
    const started = await Promise.allSettled(
      Array.from({ length: options.nodes }, (_, i) =>
        startChatNode({
          databaseUrl: databaseUrl!,
          nodeId: `node-${i + 1}`,
          env: options.env ?? {},
          inheritOutput: options.inheritOutput ?? false,
          args: i === 0 ? (options.firstNodeArgs ?? []) : [],
        }),
      ),
    );
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const nginx = await startNginx(
      nodes.map((node) => node.port),
      options.listenPort,
    );
    return {
      url: nginx.url,
      databaseUrl,
      nodes,
      nginx,
      postgres,
      async stop() {
        await nginx.stop();
        await Promise.allSettled(nodes.map((node) => node.stop()));
        await postgres?.destroy();
      },
    };
  } catch (error) {
    await Promise.allSettled(nodes.map((node) => node.stop()));
    await postgres?.destroy();
    throw error;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '3' },
      port: { type: 'string', default: '8080' },
      'seed-demo': { type: 'boolean', default: false },
    },
  });
  const count = Number(values.nodes);
  const listenPort = Number(values.port);
  if (!Number.isInteger(count) || count < 1 || count > 16) throw new Error('--nodes must be 1..16');
  if (!Number.isInteger(listenPort) || listenPort < 0 || listenPort > 65535)
    throw new Error('--port must be a port');
  const cluster = await startCluster({
    nodes: count,
    databaseUrl: process.env.DATABASE_URL,
    listenPort,
    inheritOutput: true,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    // Only the first node seeds (idempotent, but two seeding at once could race on the same rows).
    firstNodeArgs: values['seed-demo'] ? ['--seed-demo'] : [],
  });
  console.info(`cluster: ${count} node(s) behind nginx on ${cluster.url}`);
  for (const node of cluster.nodes)
    console.info(`  ${node.nodeId}: ${node.url}  (metrics: ${node.url}/metrics)`);
  console.info(`  database: ${cluster.databaseUrl}${cluster.postgres ? ' (private, deleted on exit)' : ''}`);
  console.info('Ctrl-C stops the nodes, nginx and the private database.');
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.info('cluster: stopping…');
      cluster.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`cluster: ${(error as Error).message}`);
    process.exit(1);
  });
}
