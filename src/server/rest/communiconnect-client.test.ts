import { readdir } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../auth/tokens';
import { type RunningChatServer, startChatServer } from '../http';
import { restClient } from '../testing/rest-client';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { uploadVideo, webmLikeBytes } from '../testing/upload-client';

/**
 * CommuniConnect's web client (services/api.js, mediaAPI.js, liveChatAPI.js, the LiveStream component) and its
 * chat test script, call by call as issue 13's table gives them, on both engines the server runs on.
 */
describe.each(['postgres', 'pglite'] as const)(
  'CommuniConnect web client against our server (%s)',
  (kind) => {
    let testDb: TestDatabase;
    let server: RunningChatServer;
    let recordingsDir: string;
    const password = 'motdepasse-solide';

    beforeAll(async () => {
      testDb = await createTestDatabase(kind);
      recordingsDir = await mkdtemp(join(tmpdir(), 'cc-client-recordings-'));
      server = await startChatServer({ database: testDb.database, recordingsDir });
    }, 180_000);
    afterAll(async () => {
      await server?.close();
      await testDb?.drop();
    });

    const count = async (table: string) =>
      Number((await testDb.database.query<{ n: string }>(`select count(*) as n from ${table}`))[0]!.n);
    const anonymous = () => restClient(server.url);

    async function registerMariam(suffix: string) {
      return anonymous().post('/api/users/register/', {
        username: `mariam_${suffix}`,
        email: `mariam.${suffix}@example.test`,
        password,
        password_confirm: password,
        first_name: 'Mariam',
        last_name: 'Diallo',
        quartier: 'Kaloum',
      });
    }

    it('register → 201 {user, tokens: {refresh, access}, message}; a mismatch or a taken name → 400, nothing written', async () => {
      const created = await registerMariam('reg');
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        user: {
          id: expect.any(Number),
          username: 'mariam_reg',
          email: 'mariam.reg@example.test',
          first_name: 'Mariam',
          last_name: 'Diallo',
          profile_picture: null,
        },
        tokens: { refresh: expect.any(String), access: expect.any(String) },
        message: expect.any(String),
      });
      const users = await count('users');
      const mismatch = await anonymous().post('/api/users/register/', {
        username: 'autre',
        email: 'autre@example.test',
        password,
        password_confirm: `${password}!`,
        first_name: 'A',
        last_name: 'B',
      });
      expect(mismatch.status).toBe(400);
      expect(typeof mismatch.body.error).toBe('string');
      expect(mismatch.body.errors.password_confirm).toBeDefined();
      const taken = await registerMariam('reg');
      expect(taken.status).toBe(400);
      expect(typeof taken.body.error).toBe('string');
      expect(await count('users')).toBe(users);
    });

    it('a username is derived from the e-mail when the client sends none, and stays unique', async () => {
      const first = await anonymous().post('/api/auth/register/', {
        email: 'Awa.Camara@example.test',
        password,
        first_name: 'Awa',
        last_name: 'Camara',
      });
      const second = await anonymous().post('/api/auth/register/', {
        email: 'awa.camara@other.test',
        password,
        first_name: 'Awa',
        last_name: 'Camara',
      });
      expect(first.body.user.username).toBe('awa.camara');
      expect(second.body.user.username).not.toBe('awa.camara');
      expect(second.body.user.username).toMatch(/^awa\.camara/);
    });

    it('the whole live: login, refresh, start, find, chat, history, upload, play, stop, logout', async () => {
      await registerMariam('live');
      const login = await anonymous().post('/api/users/login/', {
        email: 'mariam.live@example.test',
        password,
      });
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ username: 'mariam_live', first_name: 'Mariam' });
      const { refresh, access } = login.body.tokens;

      const refreshed = await anonymous().post('/api/token/refresh/', { refresh });
      expect(refreshed.status).toBe(200);
      expect(Object.keys(refreshed.body)).toEqual(['access']);
      // Both the new access token and the old one work (no rotation: nothing the old clients hold breaks).
      const mariam = restClient(server.url, refreshed.body.access);
      expect(
        (await restClient(server.url, access).get('/api/posts/?type=info&is_live_post=true')).status,
      ).toBe(200);

      const started = await mariam.post('/api/posts/live/start/', { content: 'Réunion de quartier' });
      expect(started.status).toBe(201);
      expect(started.body).toMatchObject({
        live_id: expect.any(Number),
        post_id: started.body.live_id,
        stream_key: expect.any(String),
        message: expect.any(String),
      });
      const liveId: number = started.body.live_id;
      const defaults = await mariam.post('/api/posts/live/start/');
      expect(defaults.status).toBe(201);
      expect(defaults.body.live.title).toBe('Live en cours');

      const feed = await mariam.get('/api/posts/?type=info&is_live_post=true');
      expect(feed.status).toBe(200);
      expect(feed.body).toMatchObject({ count: expect.any(Number), next: null, previous: null });
      const post = feed.body.results.find((p: { id: number }) => p.id === liveId);
      expect(post).toMatchObject({
        id: liveId,
        content: 'Réunion de quartier',
        author: { id: login.body.user.id, first_name: 'Mariam' },
        is_live_post: true,
        created_at: expect.stringMatching(/^\d{4}-/),
        status: 'live',
      });
      expect((await mariam.get('/api/posts/?type=event&is_live_post=true')).body.results).toEqual([]);

      const chat = `/api/posts/live/${liveId}/chat/`;
      const sent = await mariam.post(chat, { content: 'Bonjour à tous' });
      expect(sent.status).toBe(201);
      expect(sent.body).toEqual({
        id: expect.any(Number),
        content: 'Bonjour à tous',
        timestamp: expect.stringMatching(/^\d{4}-/),
        author: { id: login.body.user.id, first_name: 'Mariam', last_name: 'Diallo', profile_picture: null },
        type: 'text',
        reply_to: null,
        reactions: [],
      });
      const emoji = await mariam.post(chat, { content: '🎉👏🏽', type: 'emoji' });
      expect(emoji.status).toBe(201);
      expect(emoji.body.type).toBe('emoji');
      // A reply answers a message of this live; a reaction is one emoji on one, toggled, not a new message.
      const reply = await mariam.post(chat, { content: 'Merci !', reply_to: sent.body.id });
      expect(reply.status).toBe(201);
      expect(reply.body.reply_to).toBe(sent.body.id);
      const reacted = await mariam.post(chat, { content: '❤️', type: 'reaction', reply_to: sent.body.id });
      expect(reacted.status).toBe(200);
      expect(reacted.body).toMatchObject({
        id: sent.body.id,
        reactions: [{ emoji: '❤️', count: 1, mine: true }],
      });
      const messages = await count('chat_messages');
      for (const bad of [
        { content: '' },
        { content: 'bravo', type: 'emoji' },
        { content: 'x', type: 'gif' },
        { content: '❤️', type: 'reaction' },
        { content: '❤️❤️', type: 'reaction', reply_to: sent.body.id },
        { content: 'hors sujet', reply_to: 999_999 },
      ]) {
        const refused = await mariam.post(chat, bad);
        expect(refused.status).toBe(400);
        expect(typeof refused.body.error).toBe('string');
      }
      expect(await count('chat_messages')).toBe(messages);

      const history = await mariam.get(`${chat}messages/`);
      expect(history.status).toBe(200);
      expect(Array.isArray(history.body)).toBe(true);
      expect(history.body.map((m: { content: string }) => m.content)).toEqual([
        'Bonjour à tous',
        '🎉👏🏽',
        'Merci !',
      ]);
      expect(history.body[0]).toEqual({ ...sent.body, reactions: [{ emoji: '❤️', count: 1, mine: true }] });
      expect(history.body[2].reply_to).toBe(sent.body.id);
      const paged = await mariam.get(`${chat}messages/?page_size=2`);
      expect(paged.body).toMatchObject({ count: 3, previous: null, results: history.body.slice(0, 2) });

      const unknown = await mariam.post('/api/posts/live/999999/chat/', { content: 'hi' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('Live non trouvé');
      expect((await mariam.get('/api/posts/live/999999/chat/messages/')).body.error).toBe('Live non trouvé');

      const bytes = webmLikeBytes(300_000);
      const uploaded = await uploadVideo(server.url, refreshed.body.access, liveId, bytes);
      expect(uploaded.status).toBe(201);
      expect(uploaded.body).toMatchObject({
        message: expect.any(String),
        media_id: expect.any(String),
        file_url: expect.stringContaining(`/api/recordings/${uploaded.body.media_id}/file/`),
      });
      // file_url plays as it is (a <video> element sends no Authorization header), whole and by range.
      const whole = await fetch(uploaded.body.file_url);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-type')).toBe('video/webm');
      expect(whole.headers.get('accept-ranges')).toBe('bytes');
      expect(Buffer.from(await whole.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
      const part = await fetch(uploaded.body.file_url, { headers: { range: 'bytes=1000-1999' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(Buffer.from(bytes.subarray(1000, 2000)))).toBe(
        true,
      );
      const beyond = await fetch(uploaded.body.file_url, { headers: { range: `bytes=${bytes.length}-` } });
      expect(beyond.status).toBe(416);
      const forged = await fetch(uploaded.body.file_url.replace(/signature=[^&]+/, 'signature=forged'));
      expect(forged.status).toBe(401);

      const stopped = await restClient(server.url, refreshed.body.access).call(
        'PUT',
        `/api/posts/live/${liveId}/stop/`,
        {
          video_data: { url: uploaded.body.file_url, duration: 42, size: bytes.length },
        },
      );
      expect(stopped.status).toBe(200);
      expect(typeof stopped.body.message).toBe('string');
      const [kept] = await testDb.database.query<{ status: string; video_data: { size: number } }>(
        `select status, video_data from posts where id = ${liveId}`,
      );
      expect(kept).toMatchObject({ status: 'ended', video_data: { size: bytes.length } });

      const logout = await mariam.post('/api/users/logout/');
      expect(logout.status).toBe(200);
      expect(typeof logout.body.message).toBe('string');
      // The whole sign-in ends: this access token, the first one, and the refresh token.
      expect((await mariam.get('/api/posts/')).status).toBe(401);
      expect((await restClient(server.url, access).get('/api/posts/')).status).toBe(401);
      expect((await anonymous().post('/api/token/refresh/', { refresh })).status).toBe(401);
    });

    it('401 for a missing, bad or expired access token; an expired one is renewed by its refresh token', async () => {
      const created = await registerMariam('expiry');
      const { access, refresh } = created.body.tokens;
      for (const client of [anonymous(), restClient(server.url, 'not-a-token')]) {
        const refused = await client.get('/api/posts/');
        expect(refused.status).toBe(401);
        expect(typeof refused.body.error).toBe('string');
      }
      await testDb.database.query(
        `update sessions set expires_at = now() - interval '1 second' where token_hash = '${hashToken(access)}'`,
      );
      expect((await restClient(server.url, access).get('/api/posts/')).status).toBe(401);
      const renewed = await anonymous().post('/api/token/refresh/', { refresh });
      expect((await restClient(server.url, renewed.body.access).get('/api/posts/')).status).toBe(200);
      expect((await anonymous().post('/api/token/refresh/', { refresh: 'forged' })).status).toBe(401);
      expect((await anonymous().post('/api/token/refresh/', {})).status).toBe(400);
    });

    it('an upload that is not a video by its bytes, or not declared as one, is a 400 that stores nothing', async () => {
      const created = await registerMariam('upload');
      const host = restClient(server.url, created.body.tokens.access);
      const live = (await host.post('/api/posts/live/start/', { title: 'Upload' })).body.live_id;
      const before = await count('recordings');
      const filesBefore = (await readdir(recordingsDir)).length;
      const text = new TextEncoder().encode('<html>not a video at all</html>'.repeat(100));
      for (const [bytes, type] of [
        [text, 'video/webm'],
        [webmLikeBytes(), 'image/png'],
      ] as const) {
        const refused = await uploadVideo(server.url, created.body.tokens.access, live, bytes, type);
        expect(refused.status).toBe(400);
        expect(typeof refused.body.error).toBe('string');
      }
      const noField = await uploadVideo(
        server.url,
        created.body.tokens.access,
        live,
        webmLikeBytes(),
        'video/webm',
        'file',
      );
      expect(noField.status).toBe(400);
      const json = await host.post(`/api/posts/live/${live}/upload-video/`, { video: 'x' });
      expect(json.status).toBe(400);
      expect(await count('recordings')).toBe(before);
      expect((await readdir(recordingsDir)).length).toBe(filesBefore);
    });

    it('a file over the per-file limit or the quota is a 413 before it is stored', async () => {
      const small = await startChatServer({
        database: testDb.database,
        recordingsDir,
        recordingLimits: { maxFileBytes: 5 * 1024 * 1024, quotaBytes: 8 * 1024 * 1024 },
      });
      try {
        const created = await registerMariam('quota');
        const token = created.body.tokens.access;
        const live = (await restClient(small.url, token).post('/api/posts/live/start/', {})).body.live_id;
        const tooBig = await uploadVideo(small.url, token, live, webmLikeBytes(7 * 1024 * 1024));
        expect(tooBig.status).toBe(413);
        expect(tooBig.body.error).toMatch(/volumineux/);
        expect((await uploadVideo(small.url, token, live, webmLikeBytes(4 * 1024 * 1024))).status).toBe(201);
        const overQuota = await uploadVideo(small.url, token, live, webmLikeBytes(4.5 * 1024 * 1024));
        expect(overQuota.status).toBe(413);
        const rows = await testDb.database.query<{ n: string }>(
          `select count(*) as n from recordings where uploader_id = ${created.body.user.id}`,
        );
        expect(Number(rows[0]!.n)).toBe(1);
        expect((await readdir(recordingsDir)).filter((name) => name.endsWith('.part'))).toEqual([]);
      } finally {
        await small.close();
      }
    });
  },
);
