import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../testing/private-postgres';

/**
 * One chat server node as a real OS process (`node --import tsx src/server/main.ts`, the production entry),
 * so that SIGTERM and SIGKILL are the real thing. Used by the fault tests, `npm run cluster` and the bench.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../main.ts', import.meta.url));

export type ChatNode = {
  nodeId: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** Everything the node wrote (JSON log lines and any stderr), for assertions and failure messages. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM and wait for the exit (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export type ChatNodeOptions = {
  databaseUrl: string;
  port?: number;
  nodeId?: string;
  env?: Record<string, string>;
  /** Command-line arguments for main.ts (e.g. --seed-demo). */
  args?: string[];
  readyTimeoutMs?: number;
  /** Echo the node's output to our stdout (the cluster script does; tests keep it). */
  inheritOutput?: boolean;
};

export async function startChatNode(options: ChatNodeOptions): Promise<ChatNode> {
  const port = options.port ?? (await freePort());
  const nodeId = options.nodeId ?? `node-${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      NODE_ID: nodeId,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    const text = String(chunk);
    output.push(text);
    if (output.length > 2000) output.splice(0, 1000);
    if (options.inheritOutput) process.stdout.write(text);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const node: ChatNode = {
    nodeId,
    port,
    url,
    child,
    output,
    exited,
    signal: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop(timeoutMs = 15_000) {
      node.signal('SIGTERM');
      const timer = setTimeout(() => node.signal('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  await waitUntilReady(node, options.readyTimeoutMs ?? 30_000);
  return node;
}

async function waitUntilReady(node: ChatNode, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let exitedEarly = false;
  void node.exited.then(() => {
    exitedEarly = true;
  });
  while (Date.now() < deadline) {
    if (exitedEarly) throw new Error(`chat node ${node.nodeId} exited at start:\n${node.output.join('')}`);
    try {
      const response = await fetch(`${node.url}/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  node.signal('SIGKILL');
  throw new Error(`chat node ${node.nodeId} not ready after ${timeoutMs} ms:\n${node.output.join('')}`);
}
