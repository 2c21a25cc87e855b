import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHostDatabase } from '../db/open';
import {
  eventually,
  removeDir,
  startTestChatServer,
  startTestHost,
  type TestChatServer,
  type TestHost,
  uniqueEmail,
} from './testing/fixtures';
import { runHostScript } from './testing/run-host-script';
import { serverCaller } from './testing/server-caller';

const CRASH_PULL_HOST = fileURLToPath(new URL('./testing/crash-pull-host.ts', import.meta.url));
const MESSAGES = 2500;
const PAGE = 1000;

const runCrashingHost = (args: string[], killAfterPages: number) =>
  runHostScript(CRASH_PULL_HOST, args, { STUDIO_TEST_KILL_AFTER_PULL_PAGES: String(killAfterPages) });

describe('initial sync killed between two pages', () => {
  let server: TestChatServer;
  let studio: TestHost | undefined;
  let dataDir: string;

  beforeAll(async () => {
    server = await startTestChatServer();
  }, 60_000);
  afterAll(async () => {
    await studio?.close();
    await server?.drop();
    if (dataDir) removeDir(dataDir);
  });

  it('resumes from the committed cursor, brings the moderation done meanwhile, and holds each message once', async () => {
    const first = await startTestHost(server.url);
    dataDir = first.dataDir;
    const email = uniqueEmail('resume');
    const me = await first.api.account.register({
      email,
      password: 'correct horse battery',
      first_name: 'Léa',
      last_name: 'Martin',
    });
    const live = await first.api.lives.create({ title: 'Long live', description: '' });
    await first.api.lives.start({ liveId: live.id });
    const token = first.host.accounts.get(first.host.link.target!.serverKey)!.token;
    await first.close();
    const db = server.testDatabase.database;
    // Straight into the database: the subject is the pull, not 2,500 sends.
    await db.query(
      `insert into chat_messages (post_id, author_id, client_id, content)
       select $1, $2, gen_random_uuid(), 'message ' || g from generate_series(1, $3) g`,
      [live.id, me.id, MESSAGES],
    );

    const crashed = await runCrashingHost([dataDir, server.url, String(live.id), String(PAGE)], 2);
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    // On disk: the two committed pages and a cursor at the end of the second, nothing of the third.
    const file = openHostDatabase(dataDir);
    const cached = file.sqlite
      .prepare('select server_id as id, version from messages where live_id = ? order by version')
      .all(live.id) as { id: number; version: number }[];
    const { cursor } = file.sqlite
      .prepare('select cursor from sync_state where live_id = ?')
      .get(live.id) as {
      cursor: number;
    };
    file.close();
    expect(cached).toHaveLength(2 * PAGE);
    expect(cursor).toBe(cached.at(-1)!.version);

    // While the host is down: a cached message hidden, another deleted, one not pulled yet hidden.
    const moderator = serverCaller(server.url, token);
    const notYetPulled = (
      await db.query<{ id: string }>(
        'select id from chat_messages where post_id = $1 and version > $2 order by version limit 1',
        [live.id, cursor],
      )
    )[0]!;
    await moderator.mutate('moderation.hide', { postId: live.id, messageId: cached[0]!.id });
    await moderator.mutate('moderation.delete', { postId: live.id, messageId: cached[1]!.id });
    await moderator.mutate('moderation.hide', { postId: live.id, messageId: Number(notYetPulled.id) });

    studio = await startTestHost(server.url, dataDir);
    const serverKey = studio.host.link.target!.serverKey;
    const [{ last }] = (await db.query<{ last: string }>(
      'select max(version)::text as last from chat_messages where post_id = $1',
      [live.id],
    )) as [{ last: string }];
    await eventually(() => expect(studio!.host.chat.cursor(serverKey, live.id)).toBe(Number(last)), 30_000);

    const onServer = await db.query<{
      id: string;
      client_id: string;
      content: string;
      hidden: boolean;
      deleted: boolean;
    }>(
      'select id, client_id::text as client_id, content, hidden, deleted from chat_messages where post_id = $1 order by id',
      [live.id],
    );
    const file2 = studio.host.database.sqlite;
    const inCache = file2
      .prepare(
        `select server_id as id, client_id, content, hidden, deleted from messages
         where server_key = ? and live_id = ? order by server_id`,
      )
      .all(serverKey, live.id);
    // The host is the live's staff: hidden text stays readable, deleted text is gone.
    expect(inCache).toEqual(
      onServer.map((m) => ({
        id: Number(m.id),
        client_id: m.client_id,
        content: m.deleted ? '' : m.content,
        hidden: m.hidden ? 1 : 0,
        deleted: m.deleted ? 1 : 0,
      })),
    );
    expect(inCache).toHaveLength(MESSAGES);
    expect(onServer.filter((m) => m.hidden || m.deleted)).toHaveLength(3);
  }, 120_000);
});
