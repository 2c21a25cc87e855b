import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningChatServer, startChatServer } from '../http';
import { PASSWORD, seedUser } from '../testing/fixtures';
import { restClient } from '../testing/rest-client';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';

describe(`the seed's own scenario over REST, across a restart (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let server: RunningChatServer;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startChatServer({ database: testDb.database });
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  it('logs in as Mariam, posts (201 with the author block), reads it back, and still after a restart', async () => {
    const { email } = await seedUser(server.services.env, 'Mariam', 'Diallo');
    const anonymous = restClient(server.url);
    const login = await anonymous.post('/api/auth/login/', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ first_name: 'Mariam', last_name: 'Diallo', email });
    const mariam = restClient(server.url, login.body.token, 'Token');
    const live = await mariam.post('/api/posts/live/', {
      title: 'Atelier couture',
      description: 'En direct',
    });
    expect(live.status).toBe(201);
    expect(live.body).toMatchObject({
      title: 'Atelier couture',
      status: 'scheduled',
      host: { first_name: 'Mariam' },
    });
    expect((await mariam.post(`/api/posts/live/${live.body.id}/start/`)).body.status).toBe('live');

    const posted = await mariam.post(`/api/posts/live/${live.body.id}/chat/`, {
      content: 'Bienvenue à tous !',
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toEqual({
      id: expect.any(Number),
      content: 'Bienvenue à tous !',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      author: { id: login.body.user.id, first_name: 'Mariam', last_name: 'Diallo', profile_picture: null },
      type: 'text',
      reply_to: null,
      reactions: [],
    });
    const listed = await mariam.get(`/api/posts/live/${live.body.id}/chat/messages/?page=1`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ count: 1, next: null, previous: null, results: [posted.body] });
    const lives = await mariam.get('/api/posts/live/?status=live');
    expect(lives.body.results.map((l: { id: number }) => l.id)).toContain(live.body.id);

    await server.close();
    await testDb.database.close();
    const reopened = await testDb.reopen();
    server = await startChatServer({ database: reopened });
    const again = restClient(server.url, login.body.token);
    const after = await again.get(`/api/posts/live/${live.body.id}/chat/messages/`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual([posted.body]);
  });
});
