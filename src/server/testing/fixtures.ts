import { randomUUID } from 'node:crypto';
import type { Live } from '../../shared/wire';
import type { Actor, DomainEnv } from '../domain/env';
import { addModerator, banUser } from '../domain/moderation';
import { createLive, startLive } from '../domain/lives';
import { register } from '../domain/users';

/**
 * Test data through the real domain functions (no SQL shortcuts), so fixtures obey the same rules as users.
 * Every user gets a unique email; the password is PASSWORD.
 */
export const PASSWORD = 'correct horse battery';

export type SeededUser = { user: Actor; token: string; email: string };

export async function seedUser(env: DomainEnv, firstName = 'Test', lastName = 'User'): Promise<SeededUser> {
  const email = `${firstName.toLowerCase()}.${randomUUID().slice(0, 8)}@example.test`;
  const { user, token } = await register(env, {
    email,
    password: PASSWORD,
    first_name: firstName,
    last_name: lastName,
  });
  return { user, token, email };
}

export async function seedLive(
  env: DomainEnv,
  host: Actor,
  options: { start?: boolean; title?: string } = {},
) {
  const live: Live = await createLive(env, host, { title: options.title ?? 'Test live', description: '' });
  return options.start === false ? live : startLive(env, host, live.id);
}

/** The cast of the authorization matrix: one live with every kind of caller, and a second live. */
export async function seedCast(env: DomainEnv) {
  const host = await seedUser(env, 'Mariam', 'Diallo');
  const moderator = await seedUser(env, 'Moussa', 'Moderator');
  const viewer = await seedUser(env, 'Vera', 'Viewer');
  const banned = await seedUser(env, 'Bruno', 'Banned');
  const otherHost = await seedUser(env, 'Olga', 'Other');
  const otherModerator = await seedUser(env, 'Omar', 'OtherMod');
  const live = await seedLive(env, host.user);
  const otherLive = await seedLive(env, otherHost.user, { title: 'Other live' });
  await addModerator(env, host.user, { postId: live.id, email: moderator.email });
  await addModerator(env, otherHost.user, { postId: otherLive.id, email: otherModerator.email });
  await banUser(env, host.user, { postId: live.id, userId: banned.user.id });
  return { host, moderator, viewer, banned, otherHost, otherModerator, live, otherLive };
}
