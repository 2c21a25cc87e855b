import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefusalCode } from '../shared/errors';
import { sendMessage } from './domain/chat';
import { addModerator, banUser } from './domain/moderation';
import { login } from './domain/users';
import { type RunningChatServer, startChatServer } from './http';
import { REST_ROUTES } from './rest/routes';
import { createChatContext } from './routers/context';
import { appRouter } from './routers/root';
import { createCallerFactory } from './routers/trpc';
import { PASSWORD, seedCast, seedLive, seedUser } from './testing/fixtures';
import { restClient } from './testing/rest-client';
import { tusUpload } from './testing/tus-client';
import { uploadVideo, webmLikeBytes } from './testing/upload-client';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from './testing/test-database';

/**
 * Every tRPC procedure and every REST route × every kind of caller. The procedure list comes from the router
 * itself: a procedure added without a row here fails the first test.
 */
const ROLES = ['anonymous', 'viewer', 'banned', 'otherModerator', 'moderator', 'host'] as const;
type Role = (typeof ROLES)[number];
type Outcome = 'ok' | RefusalCode;

const everyone = (outcome: Outcome): Record<Role, Outcome> =>
  Object.fromEntries(ROLES.map((role) => [role, outcome])) as Record<Role, Outcome>;
const signedIn = (outcome: Outcome = 'ok'): Record<Role, Outcome> => ({
  ...everyone(outcome),
  anonymous: 'unauthenticated',
});
const staffOnly = signedIn('forbidden');
staffOnly.moderator = 'ok';
staffOnly.host = 'ok';
const hostOnly: Record<Role, Outcome> = { ...signedIn('forbidden'), host: 'ok' };

type Cast = Awaited<ReturnType<typeof seedCast>>;
const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;
type Setup = { caller: Caller; cast: Cast; live: { id: number }; role: Role };
type Row = { expect: Record<Role, Outcome>; call: (setup: Setup) => Promise<unknown> };

describe(`authorization matrix (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let server: RunningChatServer;
  let cast: Cast;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startChatServer({
      database: testDb.database,
      limits: { rateViewer: 10_000, ratePrivileged: 10_000 },
      recordingsDir: await mkdtemp(join(tmpdir(), 'matrix-recordings-')),
    });
    cast = await seedCast(server.services.env);
    // PGlite start-up and six scrypt hashes: slow on a busy 2-core machine.
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  const env = () => server.services.env;
  const actorOf = (role: Role) => (role === 'anonymous' ? null : cast[role]);

  /** A fresh live with the same cast around it (host, its moderator, a banned viewer), for calls that change it. */
  async function freshLive(start = true) {
    const live = await seedLive(env(), cast.host.user, { start });
    await addModerator(env(), cast.host.user, { postId: live.id, email: cast.moderator.email });
    await banUser(env(), cast.host.user, { postId: live.id, userId: cast.banned.user.id });
    return live;
  }
  const aMessage = async (postId: number) =>
    sendMessage(env(), (await seedUser(env(), 'Target', 'Author')).user, {
      postId,
      clientId: randomUUID(),
      content: 'target',
    });
  const aViewer = async () => (await seedUser(env(), 'Target', 'Viewer')).user;

  const procedures: Record<string, Row> = {
    'auth.register': {
      expect: everyone('ok'),
      call: ({ caller }) =>
        caller.auth.register({
          email: `new-${randomUUID()}@example.test`,
          password: PASSWORD,
          first_name: 'N',
          last_name: 'U',
        }),
    },
    'auth.login': {
      expect: everyone('ok'),
      call: ({ caller }) => caller.auth.login({ email: cast.viewer.email, password: PASSWORD }),
    },
    'auth.refresh': {
      expect: everyone('ok'),
      call: async ({ caller }) => {
        const { refresh } = await login(env(), { email: cast.viewer.email, password: PASSWORD });
        return caller.auth.refresh({ refresh });
      },
    },
    'auth.me': { expect: signedIn(), call: ({ caller }) => caller.auth.me() },
    'auth.logout': {
      expect: signedIn(),
      // A session of its own, so that logging out does not sign the matrix's callers out.
      call: async ({ role }) => {
        const actor = actorOf(role);
        const token = actor ? (await login(env(), { email: actor.email, password: PASSWORD })).token : null;
        return createCaller(await createChatContext(server.services, token)).auth.logout();
      },
    },
    time: { expect: everyone('ok'), call: ({ caller }) => caller.time() },
    protocol: { expect: everyone('ok'), call: ({ caller }) => caller.protocol() },
    'lives.create': { expect: signedIn(), call: ({ caller }) => caller.lives.create({ title: 'Mine' }) },
    'lives.start': {
      expect: hostOnly,
      call: async ({ caller }) => {
        const live = await freshLive(false);
        return caller.lives.start({ postId: live.id });
      },
    },
    'lives.end': {
      expect: hostOnly,
      call: async ({ caller }) => caller.lives.end({ postId: (await freshLive()).id }),
    },
    'lives.get': { expect: signedIn(), call: ({ caller, live }) => caller.lives.get({ postId: live.id }) },
    'lives.list': { expect: signedIn(), call: ({ caller }) => caller.lives.list({}) },
    'chat.send': {
      expect: { ...signedIn(), banned: 'banned' },
      call: ({ caller, live }) =>
        caller.chat.send({ postId: live.id, clientId: randomUUID(), content: 'hello' }),
    },
    'chat.react': {
      expect: { ...signedIn(), banned: 'banned' },
      call: async ({ caller, live }) =>
        caller.chat.react({ postId: live.id, messageId: (await aMessage(live.id)).id, emoji: '👍' }),
    },
    'chat.reactions': {
      expect: signedIn(),
      call: async ({ caller, live }) =>
        caller.chat.reactions({ postId: live.id, messageId: (await aMessage(live.id)).id }),
    },
    'chat.reactionHistory': {
      expect: signedIn(),
      call: ({ caller, live }) => caller.chat.reactionHistory({ postId: live.id }),
    },
    'chat.history': {
      expect: signedIn(),
      call: ({ caller, live }) => caller.chat.history({ postId: live.id }),
    },
    'chat.pull': {
      expect: signedIn(),
      call: ({ caller, live }) => caller.chat.pull({ postId: live.id, cursor: 0 }),
    },
    'chat.pullColumns': {
      expect: signedIn(),
      call: ({ caller, live }) => caller.chat.pullColumns({ postId: live.id, cursor: 0 }),
    },
    'chat.events': {
      expect: signedIn(),
      call: async ({ caller, live }) => {
        await aMessage(live.id);
        const iterable = await caller.chat.events({ postId: live.id, lastEventId: '0' });
        const iterator = iterable[Symbol.asyncIterator]();
        try {
          return await iterator.next();
        } finally {
          await iterator.return?.();
        }
      },
    },
    'moderation.hide': {
      expect: staffOnly,
      call: async ({ caller, live }) =>
        caller.moderation.hide({ postId: live.id, messageId: (await aMessage(live.id)).id }),
    },
    'moderation.unhide': {
      expect: staffOnly,
      call: async ({ caller, live }) =>
        caller.moderation.unhide({ postId: live.id, messageId: (await aMessage(live.id)).id }),
    },
    'moderation.delete': {
      expect: staffOnly,
      call: async ({ caller, live }) =>
        caller.moderation.delete({ postId: live.id, messageId: (await aMessage(live.id)).id }),
    },
    'moderation.ban': {
      expect: staffOnly,
      call: async ({ caller, live }) =>
        caller.moderation.ban({ postId: live.id, userId: (await aViewer()).id }),
    },
    'moderation.unban': {
      expect: staffOnly,
      call: ({ caller, live }) => caller.moderation.unban({ postId: live.id, userId: cast.viewer.user.id }),
    },
    'moderation.timeout': {
      expect: staffOnly,
      call: async ({ caller, live }) =>
        caller.moderation.timeout({ postId: live.id, userId: (await aViewer()).id, seconds: 60 }),
    },
    'moderation.setSlowMode': {
      expect: staffOnly,
      call: ({ caller }) =>
        freshLive().then((live) => caller.moderation.setSlowMode({ postId: live.id, seconds: 5 })),
    },
    'moderation.addModerator': {
      expect: hostOnly,
      call: async ({ caller, live }) =>
        caller.moderation.addModerator({
          postId: live.id,
          email: (await seedUser(env(), 'New', 'Mod')).email,
        }),
    },
    'moderation.removeModerator': {
      expect: hostOnly,
      call: async ({ caller }) => {
        const live = await freshLive();
        return caller.moderation.removeModerator({ postId: live.id, email: cast.moderator.email });
      },
    },
    'moderation.log': {
      expect: staffOnly,
      call: ({ caller, live }) => caller.moderation.log({ postId: live.id }),
    },
    'moderation.release': {
      expect: staffOnly,
      call: async ({ caller, live }) =>
        caller.moderation.release({ postId: live.id, messageId: (await aMessage(live.id)).id }),
    },
    'moderation.pin': {
      expect: staffOnly,
      call: async ({ caller, live }) =>
        caller.moderation.pin({ postId: live.id, messageId: (await aMessage(live.id)).id }),
    },
    'moderation.unpin': {
      expect: staffOnly,
      call: ({ caller, live }) => caller.moderation.unpin({ postId: live.id }),
    },
    'moderation.restrictions': {
      expect: staffOnly,
      call: ({ caller, live }) => caller.moderation.restrictions({ postId: live.id }),
    },
    'moderation.setBlockedTerms': {
      expect: staffOnly,
      // A fresh live: a list on the matrix's live would hold the other rows' messages.
      call: async ({ caller }) =>
        caller.moderation.setBlockedTerms({ postId: (await freshLive()).id, terms: ['forbidden-word'] }),
    },
    'moderation.blockedTerms': {
      expect: staffOnly,
      call: ({ caller, live }) => caller.moderation.blockedTerms({ postId: live.id }),
    },
  };

  it('has a row for every procedure of the app router', () => {
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  async function outcomeOf(row: Row, role: Role): Promise<Outcome> {
    const actor = actorOf(role);
    const caller = createCaller(await createChatContext(server.services, actor?.token ?? null));
    try {
      await row.call({ caller, cast, live: cast.live, role });
      return 'ok';
    } catch (error) {
      if (error instanceof TRPCError) {
        const shape = appRouter._def._config.errorFormatter({
          error,
          shape: { message: error.message, code: 0, data: {} },
          type: 'query',
          path: undefined,
          input: undefined,
          ctx: undefined,
        } as never) as { data: { refusal: RefusalCode | null } };
        if (shape.data.refusal) return shape.data.refusal;
      }
      throw error;
    }
  }

  for (const [path, row] of Object.entries(procedures)) {
    it(`tRPC ${path}`, async () => {
      const seen: Record<string, Outcome> = {};
      for (const role of ROLES) seen[role] = await outcomeOf(row, role);
      expect(seen).toEqual(row.expect);
    });
  }

  type RestRow = {
    expect: Record<Role, number>;
    path: (live: { id: number }) => string | Promise<string>;
    body?: () => unknown;
    /** A call that needs its own sign-in (logout) or a body that is not JSON (upload): the status it got. */
    request?: (path: string, token: string | null, role: Role) => Promise<number>;
  };
  /** A sign-in of the role's account of its own, so that logging it out leaves the matrix's callers signed in. */
  const ownSignIn = async (role: Role) => {
    const actor = actorOf(role);
    return actor ? (await login(env(), { email: actor.email, password: PASSWORD })).token : null;
  };
  const aVideo = Buffer.from(webmLikeBytes(8192));
  const staffRest = (ok: number): Record<Role, number> => ({
    ...restStatuses(403, { moderator: ok, host: ok }),
  });
  const restStatuses = (ok: number, denied: Partial<Record<Role, number>> = {}): Record<Role, number> => ({
    ...(Object.fromEntries(ROLES.map((role) => [role, ok])) as Record<Role, number>),
    anonymous: 401,
    ...denied,
  });
  const restRows: Record<string, RestRow> = {
    'POST /api/auth/register/': {
      expect: { ...restStatuses(201), anonymous: 201 },
      path: () => '/api/auth/register/',
      body: () => ({
        email: `r-${randomUUID()}@example.test`,
        password: PASSWORD,
        first_name: 'R',
        last_name: 'E',
      }),
    },
    'POST /api/auth/login/': {
      expect: { ...restStatuses(200), anonymous: 200 },
      path: () => '/api/auth/login/',
      body: () => ({ email: cast.viewer.email, password: PASSWORD }),
    },
    'POST /api/users/register/': {
      expect: { ...restStatuses(201), anonymous: 201 },
      path: () => '/api/users/register/',
      body: () => ({
        username: `u${randomUUID().slice(0, 8)}`,
        email: `u-${randomUUID()}@example.test`,
        password: PASSWORD,
        password_confirm: PASSWORD,
        first_name: 'U',
        last_name: 'R',
      }),
    },
    'POST /api/users/login/': {
      expect: { ...restStatuses(200), anonymous: 200 },
      path: () => '/api/users/login/',
      body: () => ({ email: cast.viewer.email, password: PASSWORD }),
    },
    'POST /api/token/refresh/': {
      expect: { ...restStatuses(200), anonymous: 200 },
      path: () => '/api/token/refresh/',
      body: async () => ({
        refresh: (await login(env(), { email: cast.viewer.email, password: PASSWORD })).refresh,
      }),
    },
    'POST /api/users/logout/': {
      expect: restStatuses(200),
      path: () => '/api/users/logout/',
      request: async (path, _token, role) =>
        (await restClient(server.url, await ownSignIn(role)).post(path)).status,
    },
    'POST /api/posts/live/start/': {
      expect: restStatuses(201),
      path: () => '/api/posts/live/start/',
      body: () => ({ title: 'Go' }),
    },
    'PUT /api/posts/live/{id}/stop/': {
      expect: restStatuses(403, { host: 200, anonymous: 401 }),
      path: (live) => `/api/posts/live/${live.id}/stop/`,
      body: () => ({ video_data: { url: 'https://example.test/v.webm', duration: 12, size: 1000 } }),
    },
    'GET /api/posts/': { expect: restStatuses(200), path: () => '/api/posts/?type=info&is_live_post=true' },
    'POST /api/posts/live/{id}/upload-video/': {
      expect: staffRest(201),
      path: (live) => String(live.id),
      request: async (path, token) =>
        (await uploadVideo(server.url, token, Number(path), webmLikeBytes())).status,
    },
    'GET /api/recordings/{uuid}/file/': {
      // Unpublished: only the live's staff may play it; to anyone else it does not exist.
      expect: { ...restStatuses(404, { moderator: 206, host: 206 }), anonymous: 401 },
      path: async (live) => {
        const uploaded = await uploadVideo(server.url, cast.host.token, live.id, webmLikeBytes());
        return `/api/recordings/${uploaded.body.media_id}/file/`;
      },
      request: async (path, token) =>
        (await restClient(server.url, token).call('GET', path, undefined, { range: 'bytes=0-99' })).status,
    },
    'GET /api/recordings/': { expect: restStatuses(200), path: () => '/api/recordings/' },
    'GET /api/posts/live/{id}/recordings/': {
      // Everyone signed in may ask; only the staff see unpublished recordings (checked in tus-uploads.test.ts).
      expect: restStatuses(200),
      path: (live) => `/api/posts/live/${live.id}/recordings/`,
    },
    'POST /api/recordings/{uuid}/complete/': {
      // Only the uploader's own upload exists for them.
      expect: { ...restStatuses(404, { host: 200 }), anonymous: 401 },
      path: async (live) => {
        const id = randomUUID();
        await tusUpload(server.url, cast.host.token, { liveId: live.id, recordingId: id, bytes: aVideo });
        return `/api/recordings/${id}/complete/`;
      },
      body: () => ({ sha256: createHash('sha256').update(aVideo).digest('hex') }),
    },
    'POST /api/recordings/{uuid}/publish/': {
      expect: { ...restStatuses(404, { moderator: 403, host: 200 }), anonymous: 401 },
      path: async (live) =>
        `/api/recordings/${(await uploadVideo(server.url, cast.host.token, live.id, webmLikeBytes())).body.media_id}/publish/`,
      body: () => ({ published: true }),
    },
    'DELETE /api/recordings/{uuid}/': {
      expect: { ...restStatuses(404, { moderator: 403, host: 204 }), anonymous: 401 },
      path: async (live) =>
        `/api/recordings/${(await uploadVideo(server.url, cast.host.token, live.id, webmLikeBytes())).body.media_id}/`,
    },
    'POST /api/posts/live/': {
      expect: restStatuses(201),
      path: () => '/api/posts/live/',
      body: () => ({ title: 'T' }),
    },
    'GET /api/posts/live/': { expect: restStatuses(200), path: () => '/api/posts/live/?status=live' },
    'POST /api/posts/live/{id}/start/': {
      expect: restStatuses(403, { host: 200, anonymous: 401 }),
      path: (live) => `/api/posts/live/${live.id}/start/`,
    },
    'POST /api/posts/live/{id}/end/': {
      expect: restStatuses(403, { host: 200, anonymous: 401 }),
      path: (live) => `/api/posts/live/${live.id}/end/`,
    },
    'POST /api/posts/live/{id}/chat/': {
      expect: restStatuses(201, { banned: 403 }),
      path: (live) => `/api/posts/live/${live.id}/chat/`,
      body: () => ({ content: 'hi' }),
    },
    'GET /api/posts/live/{id}/chat/messages/': {
      expect: restStatuses(200),
      path: (live) => `/api/posts/live/${live.id}/chat/messages/`,
    },
    'GET /api/posts/live/{id}/chat/messages/{id}/reactions/': {
      expect: restStatuses(200),
      path: async (live) =>
        `/api/posts/live/${live.id}/chat/messages/${(await aMessage(live.id)).id}/reactions/`,
    },
    'POST /api/posts/live/{id}/chat/messages/{id}/hide/': {
      expect: restStatuses(403, { moderator: 200, host: 200 }),
      path: async (live) => `/api/posts/live/${live.id}/chat/messages/${(await aMessage(live.id)).id}/hide/`,
      body: () => ({ reason: 'matrix' }),
    },
    'POST /api/posts/live/{id}/chat/messages/{id}/unhide/': {
      expect: restStatuses(403, { moderator: 200, host: 200 }),
      path: async (live) =>
        `/api/posts/live/${live.id}/chat/messages/${(await aMessage(live.id)).id}/unhide/`,
    },
    'DELETE /api/posts/live/{id}/chat/messages/{id}/': {
      expect: restStatuses(403, { moderator: 204, host: 204 }),
      path: async (live) => `/api/posts/live/${live.id}/chat/messages/${(await aMessage(live.id)).id}/`,
    },
    'POST /api/posts/live/{id}/bans/': {
      expect: restStatuses(403, { moderator: 201, host: 201 }),
      path: (live) => `/api/posts/live/${live.id}/bans/`,
      body: async () => ({ user_id: (await aViewer()).id, seconds: 60 }),
    },
    'DELETE /api/posts/live/{id}/bans/{id}/': {
      expect: restStatuses(403, { moderator: 204, host: 204 }),
      path: async (live) => `/api/posts/live/${live.id}/bans/${(await aViewer()).id}/`,
    },
    'GET /api/posts/live/{id}/moderation/log/': {
      expect: restStatuses(403, { moderator: 200, host: 200 }),
      path: (live) => `/api/posts/live/${live.id}/moderation/log/?format=csv`,
    },
  };

  const routeKey = (route: (typeof REST_ROUTES)[number]) =>
    `${route.method} ${route.pattern.source
      .replace(/^\^|\$$/g, '')
      .replaceAll('\\/', '/')
      .replaceAll('([^/]+)', '{id}')
      .replaceAll('[0-9a-f-]{36}', '{uuid}')}`;

  it('has a row for every REST route', () => {
    expect(Object.keys(restRows).sort()).toEqual(REST_ROUTES.map(routeKey).sort());
  });

  for (const [key, row] of Object.entries(restRows)) {
    it(`REST ${key}`, async () => {
      const method = key.split(' ')[0]!;
      const seen: Record<string, number> = {};
      for (const role of ROLES) {
        // start/end change the live: every caller gets a fresh one, with the same cast around it.
        const live = /start|end|stop/.test(key) ? await freshLive() : cast.live;
        if (/\{id\}\/start/.test(key))
          await server.services.env.db.execute(
            (await import('drizzle-orm'))
              .sql`update posts set status = 'scheduled', started_at = null where id = ${live.id}`,
          );
        const token = actorOf(role)?.token ?? null;
        const path = await row.path(live);
        seen[role] = row.request
          ? await row.request(path, token, role)
          : (await restClient(server.url, token).call(method, path, await row.body?.())).status;
      }
      expect(seen).toEqual(row.expect);
    });
  }
});
