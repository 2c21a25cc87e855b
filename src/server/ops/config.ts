import { hostname } from 'node:os';
import { z } from 'zod';

/**
 * The standalone server's configuration, read once from the environment and validated before anything opens.
 * A mistake (a port of 99999, a DATABASE_URL that is not postgres://…) must stop the process with ONE line that
 * names the variable and says what is expected — an operator reading `journalctl` should not meet a stack trace.
 */
const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a postgres:// URL with a host, e.g. postgres://user@127.0.0.1:5432/chat');

const milliseconds = z.coerce
  .number({ error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(0, 'must not be negative');

const seconds = z.coerce
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1 second');

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, port.default(4000)),
  HOST: z.preprocess(emptyToUndefined, z.string().trim().min(1).default('127.0.0.1')),
  DATABASE_URL: z.preprocess(emptyToUndefined, postgresUrl.optional()),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data/server')),
  /** Optional server secret (e.g. to sign things later): when given it must be long enough to be a secret. */
  SERVER_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, 'must be at least 32 characters (generate one: openssl rand -hex 32)').optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** How long a SIGTERM may take (drain requests, tell subscribers to reconnect, close the pool). */
  SHUTDOWN_TIMEOUT_MS: z.preprocess(emptyToUndefined, milliseconds.max(600_000).default(10_000)),
  /** Postgres pool size per node: nodes × this must stay under the server's max_connections. */
  DB_POOL_MAX: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000).default(20)),
  /** Per-user chat rate limit (design: Twitch-like 20 / 100 per 30 s); raised for load tests. */
  CHAT_RATE_WINDOW_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(3600).optional(),
  ),
  CHAT_RATE_VIEWER: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).optional()),
  CHAT_RATE_PRIVILEGED: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).optional()),
  /** Session lifetimes (design §4: an access token lasts 60 min, a refresh token 7 days, unless set here). */
  ACCESS_TOKEN_TTL_SECONDS: z.preprocess(emptyToUndefined, seconds.max(30 * 24 * 3600).optional()),
  REFRESH_TOKEN_TTL_SECONDS: z.preprocess(emptyToUndefined, seconds.max(365 * 24 * 3600).optional()),
  /** How often each node sends a NOTIFY probe to measure the fan-out's lag (0: off). */
  NOTIFY_PROBE_MS: z.preprocess(emptyToUndefined, milliseconds.max(3_600_000).default(5000)),
  /** A name for this node in logs and metrics (defaults to host:port). */
  NODE_ID: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(100).optional()),
});

export type ServerConfig = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  serverSecret: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  shutdownTimeoutMs: number;
  dbPoolMax: number;
  nodeId: string;
  /** Only the limits that were set: the server's defaults apply to the rest. */
  limits: {
    rateWindowSeconds?: number;
    rateViewer?: number;
    ratePrivileged?: number;
    accessTokenTtlMs?: number;
    refreshTokenTtlMs?: number;
  };
  notifyProbeMs: number;
};

/** Thrown with a one-line message naming every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseServerConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const value = parsed.data;
  return {
    port: value.PORT,
    host: value.HOST,
    databaseUrl: value.DATABASE_URL,
    dataDir: value.DATA_DIR,
    serverSecret: value.SERVER_SECRET,
    logLevel: value.LOG_LEVEL,
    shutdownTimeoutMs: value.SHUTDOWN_TIMEOUT_MS,
    dbPoolMax: value.DB_POOL_MAX,
    nodeId: value.NODE_ID ?? `${hostname()}:${value.PORT}`,
    limits: {
      ...(value.CHAT_RATE_WINDOW_SECONDS !== undefined && {
        rateWindowSeconds: value.CHAT_RATE_WINDOW_SECONDS,
      }),
      ...(value.CHAT_RATE_VIEWER !== undefined && { rateViewer: value.CHAT_RATE_VIEWER }),
      ...(value.CHAT_RATE_PRIVILEGED !== undefined && { ratePrivileged: value.CHAT_RATE_PRIVILEGED }),
      ...(value.ACCESS_TOKEN_TTL_SECONDS !== undefined && {
        accessTokenTtlMs: value.ACCESS_TOKEN_TTL_SECONDS * 1000,
      }),
      ...(value.REFRESH_TOKEN_TTL_SECONDS !== undefined && {
        refreshTokenTtlMs: value.REFRESH_TOKEN_TTL_SECONDS * 1000,
      }),
    },
    notifyProbeMs: value.NOTIFY_PROBE_MS,
  };
}

/**
 * For `main.ts`: the config, or one line on stderr and exit code 78 (EX_CONFIG) — never a stack trace. The
 * secret is never echoed back, only the variable's name.
 */
export function loadServerConfigOrExit(
  env: Record<string, string | undefined> = process.env,
  exit: (code: number) => never = process.exit,
): ServerConfig {
  try {
    return parseServerConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`chat server: ${error.message}\n`);
    return exit(78);
  }
}
