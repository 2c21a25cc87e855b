import { fileURLToPath } from 'node:url';
import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHostDatabase } from '../db/open';
import {
  DATABASE_KINDS,
  eventually,
  removeDir,
  startTestChatServer,
  startTestHost,
  type TestChatServer,
  type TestHost,
  uniqueEmail,
} from '../sync/testing/fixtures';
import { runHostScript } from '../sync/testing/run-host-script';
import { serverCaller } from '../sync/testing/server-caller';

const CRASH_HOST = fileURLToPath(new URL('./testing/crash-moderation-host.ts', import.meta.url));
const kind = DATABASE_KINDS[DATABASE_KINDS.length - 1]!;
const password = 'correct horse battery';

describe(`crash between a moderation action and its record (${kind})`, () => {
  let server: TestChatServer;
  let studio: TestHost | undefined;
  let dataDir: string;

  beforeAll(async () => {
    server = await startTestChatServer(kind);
  }, 60_000);
  afterAll(async () => {
    await studio?.close();
    await server?.drop();
    if (dataDir) removeDir(dataDir);
  });

  it('a ban the server applied before the host died is not applied again when the host resends it', async () => {
    const first = await startTestHost(server.url);
    dataDir = first.dataDir;
    await first.api.account.register({
      email: uniqueEmail('modcrash'),
      password,
      first_name: 'Awa',
      last_name: 'Ndiaye',
    });
    const live = await first.api.lives.create({ title: 'Crash moderation', description: '' });
    await first.api.lives.start({ liveId: live.id });
    const token = first.host.accounts.get(first.host.link.target!.serverKey)!.token;
    await first.close();
    const anonymous = createTRPCUntypedClient({ links: [httpLink({ url: `${server.url}/trpc` })] });
    const viewer = (await anonymous.mutation('auth.register', {
      email: uniqueEmail('banned'),
      password,
      first_name: 'Bruno',
      last_name: 'Banned',
    })) as { user: { id: number } };

    const crashed = await runHostScript(
      CRASH_HOST,
      [dataDir, server.url, String(live.id), String(viewer.user.id)],
      {
        STUDIO_TEST_KILL_AFTER_MODERATION: '1',
      },
    );
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    const db = server.testDatabase.database;
    const banned = () =>
      db.query('select 1 from live_bans where post_id = $1 and user_id = $2', [live.id, viewer.user.id]);
    const bansLogged = async () =>
      (
        await db.query<{ n: number }>(
          `select count(*)::int as n from moderation_log where post_id = $1 and action = 'ban'`,
          [live.id],
        )
      )[0]!.n;
    // The server did apply it; the host's record of that never reached the disk.
    expect(await banned()).toHaveLength(1);
    const file = openHostDatabase(dataDir);
    const row = file.sqlite.prepare('select status, client_action_id from moderation_outbox').get() as {
      status: string;
      client_action_id: string | null;
    };
    file.close();
    expect(row.status).toBe('pending');
    expect(row.client_action_id).toMatch(/^[0-9a-f-]{36}$/);

    // Meanwhile the host thinks better of it and lifts the ban on the server (another device, the web).
    await serverCaller(server.url, token).mutate('moderation.unban', {
      postId: live.id,
      userId: viewer.user.id,
    });

    studio = await startTestHost(server.url, dataDir);
    // The restarted host resends the ban with its id: the server answers without banning again.
    await eventually(async () => {
      const local = await studio!.api.moderation.local({ liveId: live.id });
      expect(local.map((e) => [e.action, e.status])).toEqual([['ban', 'applied']]);
    }, 20_000);
    expect(await banned()).toHaveLength(0);
    expect(await bansLogged()).toBe(1);
  }, 90_000);
});
