import { eq, sql } from 'drizzle-orm';
import type { AccountProfile, LoginInput, RegisterInput } from '../../shared/wire';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from '../auth/passwords';
import { sessionCacheOf } from '../auth/session-cache';
import { publishRevocation } from '../realtime/fanout';
import { hashToken, newToken } from '../auth/tokens';
import { users } from '../db/schema/index';
import { firstRow, rows, toIso } from '../db/sql';
import type { Actor, DomainEnv } from './env';
import { toUser, type UserRow } from './mappers';
import { refuse } from './refusal';
import { usernameBaseFromEmail, usernameCandidate } from './usernames';

/** A sign-in: the access token (`token`, simplejwt's `access`), the refresh token that renews it, the account. */
export type AuthResult = { token: string; refresh: string; user: AccountProfile };

const PROFILE_COLUMNS = 'id, email, username, first_name, last_name, profile_picture';
type ProfileRow = UserRow & { username: string };

function toProfile(row: ProfileRow): AccountProfile {
  return { ...toUser(row), username: row.username };
}

/** The refresh token message simplejwt gives for a bad, expired or revoked one (its clients show it as is). */
const INVALID_REFRESH = 'Token is invalid or expired';

async function mintAccess(env: DomainEnv, userId: number, refreshHash: string): Promise<string> {
  const token = newToken();
  await env.db.execute(
    sql`insert into sessions (token_hash, user_id, expires_at, refresh_hash)
        values (${hashToken(token)}, ${userId}, ${new Date(Date.now() + env.limits.accessTokenTtlMs).toISOString()}::timestamptz, ${refreshHash})`,
  );
  return token;
}

/** A new sign-in: one refresh token, and a first access token minted from it. */
async function openSession(env: DomainEnv, user: AccountProfile): Promise<AuthResult> {
  const refresh = newToken();
  const refreshHash = hashToken(refresh);
  await env.db.execute(
    sql`insert into refresh_tokens (token_hash, user_id, expires_at)
        values (${refreshHash}, ${user.id}, ${new Date(Date.now() + env.limits.refreshTokenTtlMs).toISOString()}::timestamptz)`,
  );
  return { token: await mintAccess(env, user.id, refreshHash), refresh, user };
}

async function insertUser(env: DomainEnv, input: RegisterInput, passwordHash: string, username: string) {
  const [created] = await rows<ProfileRow>(
    env.db,
    sql`insert into users (email, username, password_hash, first_name, last_name)
        values (${input.email}, ${username}, ${passwordHash}, ${input.first_name}, ${input.last_name})
        on conflict do nothing
        returning ${sql.raw(PROFILE_COLUMNS)}`,
  );
  return created;
}

const emailTaken = async (env: DomainEnv, email: string) =>
  (await firstRow(env.db, sql`select 1 from users where email = ${email}`)) !== undefined;

/**
 * A new account. A username the client chose must be free (400 otherwise); without one, the first free name
 * derived from the e-mail is taken. A conflict on the e-mail is told apart from one on the name after the fact
 * (`on conflict do nothing` covers both unique keys), so two sign-ups racing for a name never fail with a 500.
 */
export async function register(env: DomainEnv, input: RegisterInput): Promise<AuthResult> {
  const passwordHash = await hashPassword(input.password);
  const base = input.username ?? usernameBaseFromEmail(input.email);
  for (let attempt = 1; attempt <= 20; attempt++) {
    const username = input.username ?? usernameCandidate(base, attempt);
    const created = await insertUser(env, input, passwordHash, username);
    if (created) return openSession(env, toProfile(created));
    if (await emailTaken(env, input.email))
      refuse('invalid_input', 'A user with this email already exists.', {
        errors: { email: ['A user with this email already exists.'] },
      });
    if (input.username)
      refuse('invalid_input', 'A user with that username already exists.', {
        errors: { username: ['A user with that username already exists.'] },
      });
  }
  return refuse('invalid_input', 'Choose a username: none could be derived from this e-mail.', {
    errors: { username: ['This field is required.'] },
  });
}

export async function login(env: DomainEnv, input: LoginInput): Promise<AuthResult> {
  const [row] = await env.db.select().from(users).where(eq(users.email, input.email)).limit(1);
  const ok = await verifyPassword(input.password, row?.passwordHash ?? UNKNOWN_USER_HASH);
  if (!row || !ok) refuse('unauthenticated', 'Unable to log in with provided credentials.');
  return openSession(env, {
    id: row.id,
    email: row.email,
    username: row.username,
    first_name: row.firstName,
    last_name: row.lastName,
    profile_picture: row.profilePicture,
  });
}

/**
 * A new access token for a valid refresh token (simplejwt's TokenRefreshView without rotation: the refresh
 * token stays the same, earlier access tokens keep working until they expire).
 */
export async function refreshAccess(env: DomainEnv, refresh: string): Promise<{ token: string }> {
  const refreshHash = hashToken(refresh);
  const row = await firstRow<{ user_id: unknown }>(
    env.db,
    sql`select user_id from refresh_tokens where token_hash = ${refreshHash} and expires_at > now()`,
  );
  if (!row) refuse('unauthenticated', INVALID_REFRESH);
  // Expired access tokens of this sign-in are of no use to anyone: dropped here, so they never pile up.
  await env.db.execute(sql`delete from sessions where refresh_hash = ${refreshHash} and expires_at <= now()`);
  return { token: await mintAccess(env, Number(row.user_id), refreshHash) };
}

/** The account behind a signed-in caller, with its username (sign-in answers and `me`). */
export async function profileOf(env: DomainEnv, actor: Actor): Promise<AccountProfile> {
  const row = await firstRow<ProfileRow>(
    env.db,
    sql`select ${sql.raw(PROFILE_COLUMNS)} from users where id = ${actor.id}`,
  );
  if (!row) refuse('unauthenticated', 'User not found.');
  return toProfile(row);
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

/**
 * Ends the sign-in behind this access token: the token, its refresh token and every other access token minted
 * from it. Returns the hashes revoked.
 */
export async function logout(env: DomainEnv, token: string): Promise<string[]> {
  const tokenHash = hashToken(token);
  const signin = await firstRow<{ refresh_hash: string | null }>(
    env.db,
    sql`select refresh_hash from sessions where token_hash = ${tokenHash}`,
  );
  const refreshHash = signin?.refresh_hash ?? null;
  const revoked = await rows<{ token_hash: string }>(
    env.db,
    sql`delete from sessions where token_hash = ${tokenHash} or refresh_hash = ${refreshHash}
        returning token_hash`,
  );
  if (refreshHash) await env.db.execute(sql`delete from refresh_tokens where token_hash = ${refreshHash}`);
  const hashes = [...new Set([tokenHash, ...revoked.map((row) => row.token_hash)])];
  // After the delete: a lookup racing with it either sees no row or is not remembered (revision changed).
  const cache = sessionCacheOf(env.db);
  for (const hash of hashes) cache.revoke(hash);
  // Every other node too, at once (auth/revocation-listener.ts), not when its own cache entry ages out.
  await publishRevocation(env.db, hashes);
  return hashes;
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
