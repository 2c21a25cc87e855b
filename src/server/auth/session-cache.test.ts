import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomainEnv, type DomainEnv } from '../domain/env';
import { sendMessage } from '../domain/chat';
import { banUser } from '../domain/moderation';
import { Refusal } from '../domain/refusal';
import { authenticate, logout } from '../domain/users';
import { publishNotice } from '../realtime/fanout';
import { seedLive, seedUser } from '../testing/fixtures';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { SESSION_CACHE_TTL_MS, SessionCache } from './session-cache';
import { hashToken } from './tokens';

const actor = { id: 1, email: 'a@b.c', first_name: 'A', last_name: 'B', profile_picture: null };

describe('SessionCache', () => {
  it('forgets an entry at its session expiry or after the TTL, whichever comes first', () => {
    const cache = new SessionCache(1_000);
    cache.remember('h1', { ...actor }, 10_500, cache.revision, 10_000);
    cache.remember('h2', { ...actor }, 99_000, cache.revision, 10_000);
    expect(cache.get('h1', 10_499)).toMatchObject({ id: 1 });
    expect(cache.get('h1', 10_500)).toBeUndefined();
    expect(cache.get('h2', 10_999)).toMatchObject({ id: 1 });
    expect(cache.get('h2', 11_000)).toBeUndefined();
  });

  it('does not remember a lookup that was in flight when a revocation happened', () => {
    const cache = new SessionCache();
    const before = cache.revision;
    cache.revoke('h1');
    cache.remember('h1', { ...actor }, Date.now() + 60_000, before);
    expect(cache.get('h1')).toBeUndefined();
  });

  it('hands out a frozen actor, so no request can change what the next one sees', () => {
    const cache = new SessionCache();
    cache.remember('h1', { ...actor }, Date.now() + 60_000, cache.revision);
    expect(Object.isFrozen(cache.get('h1'))).toBe(true);
  });
});

describe(`authenticate with the session cache (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let env: DomainEnv;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    env = createDomainEnv(testDb.database, { publish: publishNotice });
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('refuses a logged-out token at once, though it was just served from the cache', async () => {
    const { token, user } = await seedUser(env, 'Lou', 'Gout');
    expect((await authenticate(env, token))?.id).toBe(user.id);
    expect((await authenticate(env, token))?.id).toBe(user.id); // second time: from the cache
    await logout(env, token);
    expect(await authenticate(env, token)).toBeNull();
  });

  // End to end, whichever of the two finishes first (the exact interleaving where the lookup reads the session
  // before the delete and remembers it after the revocation is pinned by the unit test on `revision` above).
  it('a lookup started before a logout does not leave the token accepted after it', async () => {
    const { token } = await seedUser(env, 'Ray', 'Ce');
    const inFlight = authenticate(env, token);
    await logout(env, token);
    await inFlight;
    expect(await authenticate(env, token)).toBeNull();
  });

  it('stops accepting a token when its session expires, cached or not', async () => {
    const { token, user } = await seedUser(env, 'Ex', 'Piry');
    await testDb.database.query(
      `update sessions set expires_at = now() + interval '600 milliseconds' where token_hash = $1`,
      [hashToken(token)],
    );
    expect((await authenticate(env, token))?.id).toBe(user.id);
    expect(SESSION_CACHE_TTL_MS).toBeGreaterThan(1_000); // so the entry would still be fresh without the expiry
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await authenticate(env, token)).toBeNull();
  });

  it('a ban applies at once to a cached token: bans are read with the live on every request', async () => {
    const host = await seedUser(env, 'Hal', 'Host');
    const viewer = await seedUser(env, 'Bea', 'Banned');
    const live = await seedLive(env, host.user);
    const send = async () =>
      sendMessage(env, (await authenticate(env, viewer.token))!, {
        postId: live.id,
        clientId: randomUUID(),
        content: 'hello',
      });
    await send();
    await banUser(env, host.user, { postId: live.id, userId: viewer.user.id });
    const refused = await send().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Refusal);
    expect((refused as Refusal).code).toBe('banned');
  });
});
