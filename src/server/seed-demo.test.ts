import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './domain/users';
import { createDomainEnv, type DomainEnv } from './domain/env';
import { publishNotice } from './realtime/fanout';
import { DEMO_PASSWORD, seedDemo } from './seed-demo';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from './testing/test-database';

describe(`--seed-demo (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let env: DomainEnv;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    env = createDomainEnv(testDb.database, { publish: publishNotice });
  });
  afterAll(() => testDb?.drop());

  const counts = async () =>
    (
      await testDb.database.query<Record<string, string>>(
        `select (select count(*) from users) as users, (select count(*) from posts) as posts,
                (select count(*) from live_roles) as roles`,
      )
    )[0];

  it('creates Mariam Diallo (host), a moderator, viewers and one started live; a second run changes nothing', async () => {
    const first = await seedDemo(env);
    expect(first.people.map((p) => `${p.role}:${p.user.first_name} ${p.user.last_name}`)).toContain(
      'host:Mariam Diallo',
    );
    expect(first.people.filter((p) => p.role === 'moderator')).toHaveLength(1);
    expect(first.live).toMatchObject({ status: 'live', host: { first_name: 'Mariam', last_name: 'Diallo' } });
    const before = await counts();
    const second = await seedDemo(env);
    expect(second.live.id).toBe(first.live.id);
    expect(second.people.map((p) => p.user.id)).toEqual(first.people.map((p) => p.user.id));
    expect(await counts()).toEqual(before);
    const signedIn = await login(env, { email: first.people[0]!.email, password: DEMO_PASSWORD });
    expect(signedIn.user.id).toBe(first.people[0]!.user.id);
  });
});
