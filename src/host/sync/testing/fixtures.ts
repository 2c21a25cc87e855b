import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatLimits } from '../../../server/domain/env';
import type { ChatServerOptions, RunningChatServer } from '../../../server/http';
import { startChatServer } from '../../../server/http';
import { createTestDatabase, type TestDatabase } from '../../../server/testing/test-database';
import { createHost, type Host, type HostOptions } from '../../host';
import { hostRouter } from '../../routers/index';

/**
 * Test fixtures for the sync engine: a real chat server (Postgres when TEST_DATABASE_URL is set, else PGlite)
 * that can be stopped and started again on the same port, and real hosts on temp data dirs, driven through the
 * hostRouter exactly as the renderer drives them.
 */
export type TestChatServer = {
  readonly url: string;
  readonly port: number;
  readonly running: boolean;
  readonly testDatabase: TestDatabase;
  /** The running server (null while stopped), for tests that watch its requests or its data. */
  readonly server: RunningChatServer | null;
  stop(): Promise<void>;
  start(): Promise<void>;
  drop(): Promise<void>;
};

/** Generous limits: these tests are about sync, not rate limiting. */
const TEST_LIMITS = { rateViewer: 100_000, ratePrivileged: 100_000 };

/** Which databases this run can test on: PGlite always, Postgres when TEST_DATABASE_URL is set. */
export const DATABASE_KINDS = (['pglite', 'postgres'] as const).filter(
  (kind) => kind === 'pglite' || process.env.TEST_DATABASE_URL,
);
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

const createDatabaseOfKind = (kind: DatabaseKind): Promise<TestDatabase> => createTestDatabase(kind);

/** `overrides`: other limits (short-lived tokens); `options.protocol`: a server of another protocol version. */
export async function startTestChatServer(
  kind: DatabaseKind = 'pglite',
  overrides: Partial<ChatLimits> = {},
  options: Pick<ChatServerOptions, 'protocol' | 'recordingsDir'> = {},
): Promise<TestChatServer> {
  const testDatabase = await createDatabaseOfKind(kind);
  // Uploaded recordings go to a directory of the test's own, never under the working directory.
  options = { recordingsDir: mkdtempSync(join(tmpdir(), 'cc-server-recordings-')), ...options };
  const limits = { ...TEST_LIMITS, ...overrides };
  let server: RunningChatServer | null = await startChatServer({
    ...options,
    database: testDatabase.database,
    limits,
  });
  const port = server.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get running() {
      return server !== null;
    },
    testDatabase,
    get server() {
      return server;
    },
    stop: async () => {
      await server?.close();
      server = null;
    },
    start: async () => {
      if (server) return;
      server = await startChatServer({ ...options, database: testDatabase.database, port, limits });
    },
    drop: async () => {
      await server?.close();
      server = null;
      await testDatabase.drop();
    },
  };
}

export const FAST_BACKOFF = { baseMs: 20, capMs: 200 };

export type TestHost = {
  host: Host;
  dataDir: string;
  api: ReturnType<typeof hostRouter.createCaller>;
  close(): Promise<void>;
};

export async function startTestHost(
  serverUrl: string,
  dataDir?: string,
  options: Pick<HostOptions, 'upload'> = {},
): Promise<TestHost> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'cc-host-'));
  const host = await createHost({ dataDir: dir, serverUrl, backoff: FAST_BACKOFF, ...options });
  return {
    host,
    dataDir: dir,
    api: hostRouter.createCaller({ host, transport: 'direct' }),
    close: () => host.close(),
  };
}

export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

let counter = 0;
export function uniqueEmail(prefix: string) {
  counter++;
  return `${prefix}.${process.pid}.${Date.now()}.${counter}@example.test`;
}

/** Polls until `check` passes (it throws until then), or fails with the last reason. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 15_000,
  stepMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, stepMs));
    }
  }
}
