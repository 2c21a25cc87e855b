import { eq, sql } from 'drizzle-orm';
import type { LoginInput, RegisterInput } from '../../shared/wire';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from '../auth/passwords';
import { sessionCacheOf } from '../auth/session-cache';
import { hashToken, newToken } from '../auth/tokens';
import { sessions, users } from '../db/schema/index';
import { firstRow, rows, toIso } from '../db/sql';
import type { Actor, DomainEnv } from './env';
import { toUser, type UserRow } from './mappers';
import { refuse } from './refusal';

export type AuthResult = { token: string; user: Actor };

async function openSession(env: DomainEnv, userId: number): Promise<string> {
  const token = newToken();
  await env.db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    expiresAt: new Date(Date.now() + env.limits.sessionTtlMs),
  });
  return token;
}

export async function register(env: DomainEnv, input: RegisterInput): Promise<AuthResult> {
  const passwordHash = await hashPassword(input.password);
  const [created] = await rows<UserRow>(
    env.db,
    sql`insert into users (email, password_hash, first_name, last_name)
        values (${input.email}, ${passwordHash}, ${input.first_name}, ${input.last_name})
        on conflict (email) do nothing
        returning id, email, first_name, last_name, profile_picture`,
  );
  if (!created)
    refuse('invalid_input', 'A user with this email already exists.', {
      errors: { email: ['A user with this email already exists.'] },
    });
  const user = toUser(created);
  return { token: await openSession(env, user.id), user };
}

export async function login(env: DomainEnv, input: LoginInput): Promise<AuthResult> {
  const [row] = await env.db.select().from(users).where(eq(users.email, input.email)).limit(1);
  const ok = await verifyPassword(input.password, row?.passwordHash ?? UNKNOWN_USER_HASH);
  if (!row || !ok) refuse('unauthenticated', 'Unable to log in with provided credentials.');
  const user: Actor = {
    id: row.id,
    email: row.email,
    first_name: row.firstName,
    last_name: row.lastName,
    profile_picture: row.profilePicture,
  };
  return { token: await openSession(env, user.id), user };
}

/**
 * The user behind a token, or null for a missing, unknown or expired one. Remembered for a few seconds per
 * process (auth/session-cache.ts says what that means for logout and expiry).
 */
export async function authenticate(env: DomainEnv, token: string | null): Promise<Actor | null> {
  if (!token) return null;
  const tokenHash = hashToken(token);
  const cache = sessionCacheOf(env.db);
  const known = cache.get(tokenHash);
  if (known) return known;
  const revision = cache.revision;
  const row = await firstRow<UserRow & { expires_at: unknown }>(
    env.db,
    sql`select u.id, u.email, u.first_name, u.last_name, u.profile_picture, s.expires_at
        from sessions s join users u on u.id = s.user_id
        where s.token_hash = ${tokenHash} and s.expires_at > now()`,
  );
  if (!row) return null;
  const actor = toUser(row);
  cache.remember(tokenHash, actor, new Date(toIso(row.expires_at)!).getTime(), revision);
  return actor;
}

export async function logout(env: DomainEnv, token: string) {
  const tokenHash = hashToken(token);
  await env.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  // After the delete: a lookup racing with it either sees no row or is not remembered (revision changed).
  sessionCacheOf(env.db).revoke(tokenHash);
}

export async function findUserIdByEmail(env: DomainEnv, email: string): Promise<number> {
  const [row] = await env.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()))
    .limit(1);
  if (!row) refuse('not_found', 'No user with this email.');
  return row.id;
}
