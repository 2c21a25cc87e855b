import type { AddressInfo } from 'node:net';
import { initTRPC } from '@trpc/server';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  CURRENT_SERVER_PROTOCOL,
  PROTOCOL_VERSION,
  type ServerProtocol,
  UNANNOUNCED_SERVER_PROTOCOL,
} from '../../shared/protocol';
import { PULL_PAGE_MAX } from './pull-fallback';
import { createServerApi } from './server-api';
import {
  DATABASE_KINDS,
  eventually,
  removeDir,
  startTestChatServer,
  type TestChatServer,
  type TestHost,
  startTestHost,
  uniqueEmail,
} from './testing/fixtures';
import { serverCaller } from './testing/server-caller';

const KIND = DATABASE_KINDS.at(-1)!;
const PASSWORD = 'correct horse battery';

/**
 * A studio meets servers of other versions: one that lacks `pullColumns` (the sync falls back to `chat.pull`
 * and ends with the same cache), one too new and one too old (one sentence says which side to update).
 */
describe(`a studio and a chat server of different versions (${KIND})`, () => {
  const servers: TestChatServer[] = [];
  const studios: TestHost[] = [];
  const dirs: string[] = [];

  afterEach(async () => {
    for (const studio of studios.splice(0)) await studio.close();
  });
  afterAll(async () => {
    for (const server of servers) await server.drop();
    for (const dir of dirs) removeDir(dir);
  });

  async function serverSpeaking(protocol: ServerProtocol) {
    const server = await startTestChatServer(KIND, {}, { protocol });
    servers.push(server);
    return server;
  }
  async function studioOn(url: string, dataDir?: string) {
    const studio = await startTestHost(url, dataDir);
    studios.push(studio);
    if (!dataDir) dirs.push(studio.dataDir);
    return studio;
  }
  const register = (studio: TestHost) =>
    studio.api.account.register({
      email: uniqueEmail('proto'),
      password: PASSWORD,
      first_name: 'Inès',
      last_name: 'Version',
    });

  it('syncs through chat.pull, in pages, from a server without pullColumns: the same cache, online', async () => {
    const server = await serverSpeaking({ ...CURRENT_SERVER_PROTOCOL, capabilities: [] });
    const first = await studioOn(server.url);
    const me = await register(first);
    const live = await first.api.lives.create({ title: 'Older server', description: '' });
    await first.api.lives.start({ liveId: live.id });
    first.host.sync.follow(live.id);
    const token = first.host.accounts.get(first.host.link.target!.serverKey)!.token;
    await first.close();
    studios.splice(0);

    // This server refuses pullColumns: a studio that asked for it would end every session with that error.
    const asked = serverCaller(server.url, token).query('chat.pullColumns', { postId: live.id, cursor: 0 });
    await expect(asked).rejects.toThrow('No procedure found on path "chat.pullColumns"');

    // More than two of chat.pull's pages, and moderation, while the studio is closed.
    const db = server.testDatabase.database;
    const count = PULL_PAGE_MAX * 2 + 500;
    await db.query(
      `insert into chat_messages (post_id, author_id, client_id, content)
       select $1, $2, gen_random_uuid(), 'message ' || g from generate_series(1, $3) g`,
      [live.id, me.id, count],
    );
    const ids = await db.query<{ id: string }>(
      'select id from chat_messages where post_id = $1 order by id',
      [live.id],
    );
    const moderator = serverCaller(server.url, token);
    await moderator.mutate('moderation.hide', { postId: live.id, messageId: Number(ids[0]!.id) });
    await moderator.mutate('moderation.delete', { postId: live.id, messageId: Number(ids[1]!.id) });

    const studio = await studioOn(server.url, first.dataDir);
    const serverKey = studio.host.link.target!.serverKey;
    const [{ last }] = (await db.query<{ last: string }>(
      'select max(version)::text as last from chat_messages where post_id = $1',
      [live.id],
    )) as [{ last: string }];
    await eventually(() => expect(studio.host.chat.cursor(serverKey, live.id)).toBe(Number(last)), 30_000);
    await eventually(async () =>
      expect(await studio.api.connection.status()).toMatchObject({ state: 'online', last_error: null }),
    );

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
    const inCache = studio.host.database.sqlite
      .prepare(
        `select server_id as id, client_id, content, hidden, deleted from messages
         where server_key = ? and live_id = ? order by server_id`,
      )
      .all(serverKey, live.id);
    expect(inCache).toHaveLength(count);
    expect(inCache).toEqual(
      onServer.map((m) => ({
        id: Number(m.id),
        client_id: m.client_id,
        content: m.deleted ? '' : m.content,
        hidden: m.hidden ? 1 : 0,
        deleted: m.deleted ? 1 : 0,
      })),
    );
    // Live events still arrive after the fallback pull.
    const sent = await studio.api.chat.send({ liveId: live.id, content: 'after the pull' });
    await eventually(async () => {
      const mine = (await studio.api.chat.list({ liveId: live.id })).messages.find(
        (m) => m.client_id === sent.client_id,
      );
      expect(mine?.status).toBe('sent');
    });
  }, 120_000);

  it('says in one sentence to update the studio when the server no longer speaks its protocol', async () => {
    const newer = PROTOCOL_VERSION + 1;
    const server = await serverSpeaking({
      ...CURRENT_SERVER_PROTOCOL,
      protocolVersion: newer,
      minProtocolVersion: newer,
    });
    const studio = await studioOn(server.url);
    await register(studio);
    await eventually(async () =>
      expect(await studio.api.connection.status()).toMatchObject({
        state: 'offline',
        last_error: `This chat server is too new for this studio (it needs protocol ${newer} or later, the studio speaks up to ${PROTOCOL_VERSION}): update the studio.`,
      }),
    );
  }, 60_000);

  it('says in one sentence to update the chat server when it is older than the studio speaks', async () => {
    const server = await serverSpeaking({ protocolVersion: 0, minProtocolVersion: 0, capabilities: [] });
    const studio = await studioOn(server.url);
    await register(studio);
    await eventually(async () =>
      expect(await studio.api.connection.status()).toMatchObject({
        state: 'offline',
        last_error:
          'This chat server is too old for this studio (protocol 0, the studio needs 1 or later): update the chat server.',
      }),
    );
  }, 60_000);

  it('takes a server without the protocol query for version 1 with no capability', async () => {
    // A chat server from before the announcement, as far as this question goes: tRPC, no `protocol` path.
    const t = initTRPC.create();
    const older = createHTTPServer({
      basePath: '/trpc/',
      router: t.router({ time: t.procedure.query(() => ({ epochMs: Date.now() })) }),
    });
    await new Promise<void>((resolve) => older.listen(0, '127.0.0.1', resolve));
    const api = createServerApi({
      url: `http://127.0.0.1:${(older.address() as AddressInfo).port}`,
      token: () => null,
    });
    try {
      expect(await api.protocol()).toEqual(UNANNOUNCED_SERVER_PROTOCOL);
    } finally {
      api.close();
      older.close();
    }
  });
});
