import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseServerConfig } from './config';

describe('parseServerConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = parseServerConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: '.data/server',
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
      dbPoolMax: 20,
      limits: {},
      notifyProbeMs: 5000,
    });
    expect(config.nodeId).toMatch(/:4000$/);
  });

  it('reads every variable', () => {
    const config = parseServerConfig({
      PORT: '4101',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/chat',
      SERVER_SECRET: 'x'.repeat(40),
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_MS: '2500',
      DB_POOL_MAX: '5',
      NODE_ID: 'node-a',
      CHAT_RATE_VIEWER: '100000',
      ACCESS_TOKEN_TTL_SECONDS: '900',
      REFRESH_TOKEN_TTL_SECONDS: '86400',
      NOTIFY_PROBE_MS: '0',
    });
    expect(config).toEqual({
      port: 4101,
      host: '0.0.0.0',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/chat',
      dataDir: '.data/server',
      serverSecret: 'x'.repeat(40),
      logLevel: 'warn',
      shutdownTimeoutMs: 2500,
      dbPoolMax: 5,
      nodeId: 'node-a',
      limits: { rateViewer: 100000, accessTokenTtlMs: 900_000, refreshTokenTtlMs: 86_400_000 },
      notifyProbeMs: 0,
    });
  });

  it.each([
    [{ PORT: '99999' }, 'PORT must be between 0 and 65535'],
    [{ PORT: 'eighty' }, 'PORT must be a number'],
    [{ PORT: '80.5' }, 'PORT must be a whole number'],
    [{ DATABASE_URL: 'mysql://root@localhost/chat' }, 'DATABASE_URL must be a postgres:// URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a postgres:// URL'],
    [{ SERVER_SECRET: 'short' }, 'SERVER_SECRET must be at least 32 characters'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CHAT_RATE_VIEWER: '0' }, 'CHAT_RATE_VIEWER'],
    [{ ACCESS_TOKEN_TTL_SECONDS: '0' }, 'ACCESS_TOKEN_TTL_SECONDS must be at least 1 second'],
    [{ REFRESH_TOKEN_TTL_SECONDS: '1.5' }, 'REFRESH_TOKEN_TTL_SECONDS must be a whole number of seconds'],
    [{ SHUTDOWN_TIMEOUT_MS: '-1' }, 'SHUTDOWN_TIMEOUT_MS must not be negative'],
  ])('refuses %o with a message naming the variable', (env, expected) => {
    expect(() => parseServerConfig(env)).toThrow(ConfigError);
    expect(() => parseServerConfig(env)).toThrow(expected);
  });

  it('names every bad variable at once, on one line, without echoing the secret', () => {
    try {
      parseServerConfig({ PORT: '-3', SERVER_SECRET: 'hunter2' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('SERVER_SECRET');
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('\n');
    }
  });
});

describe('loadServerConfigOrExit in a real process', () => {
  it('prints one line and exits 78 on a bad port — no stack trace', () => {
    const script =
      "import { loadServerConfigOrExit } from './src/server/ops/config.ts'; loadServerConfigOrExit();";
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, PORT: '70000' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr.trim().split('\n')).toEqual([
      'chat server: invalid configuration: PORT must be between 0 and 65535',
    ]);
  });
});
