import { sql } from 'drizzle-orm';
import { SLOW_MODE_MAX_SECONDS } from '../../shared/limits';
import type { Live, Message } from '../../shared/wire';
import { firstRow, rows, toIso, toNumber, type Executor } from '../db/sql';
import { loadLiveAccess, requireHost, requireStaff, type LiveAccess } from './access';
import { COUNTER_SHARDS } from './chat';
import type { Actor, DomainEnv } from './env';
import { toLive, toMessage } from './mappers';
import { readMessageRow } from './message-rows';
import { removeReactionsOf } from './reactions';
import { refuse } from './refusal';
import { findUserIdByEmail } from './users';
import { writeLog } from './moderation-log';
import { type ClientAction, firstApplication } from './moderation-once';
import { inVersionedWrite } from './write';

/** `clientActionId` (every action a studio may queue offline): applied once per id, see moderation-once.ts. */
export type MessageActionInput = ClientAction & { messageId: number; reason?: string | undefined };
type MessageAction = 'hide' | 'unhide' | 'delete' | 'release';

const visible = (m: { hidden: boolean; deleted: boolean; held: boolean }) =>
  !m.hidden && !m.deleted && !m.held;

/** Hide, unhide, delete or release (publish a held message) one message: a new version of the row (so pulls see it), counts kept, logged. */
async function changeMessage(
  env: DomainEnv,
  actor: Actor,
  input: MessageActionInput,
  action: MessageAction,
): Promise<Message> {
  return inVersionedWrite(env, async (tx) => {
    const access = await loadLiveAccess(tx, input.postId, actor);
    requireStaff(access);
    const before = await firstRow<{ hidden: boolean; deleted: boolean; held: boolean }>(
      tx,
      sql`select hidden, deleted, held from chat_messages
          where id = ${input.messageId} and post_id = ${input.postId} for update`,
    );
    if (!before) refuse('not_found', 'Message not found on this live.');
    if (!(await firstApplication(tx, actor, input, action)))
      return toMessage((await readMessageRow(tx, input.messageId))!, { userId: actor.id, staff: true });
    const after = {
      ...before,
      hidden: action === 'hide' ? true : action === 'unhide' ? false : before.hidden,
      deleted: before.deleted || action === 'delete',
      held: action === 'release' ? false : before.held,
    };
    const unchanged =
      after.hidden === before.hidden && after.deleted === before.deleted && after.held === before.held;
    if (unchanged || before.deleted) {
      // Nothing to change (or a deleted message, which stays deleted): answer with the current state.
      return toMessage((await readMessageRow(tx, input.messageId))!, { userId: actor.id, staff: true });
    }
    await tx.execute(
      sql`update chat_messages set hidden = ${after.hidden}, deleted = ${after.deleted}, held = ${after.held},
            version = nextval('chat_version_seq')
          where id = ${input.messageId}`,
    );
    const visibleDelta = Number(visible(after)) - Number(visible(before));
    const listedDelta = Number(!after.deleted) - Number(!before.deleted);
    if (visibleDelta !== 0 || listedDelta !== 0)
      await tx.execute(
        sql`insert into post_counters (post_id, shard, visible, listed)
            values (${input.postId}, ${input.messageId % COUNTER_SHARDS}, ${visibleDelta}, ${listedDelta})
            on conflict (post_id, shard) do update
              set visible = post_counters.visible + ${visibleDelta}, listed = post_counters.listed + ${listedDelta}`,
      );
    // A pinned message that viewers may no longer read is unpinned with it.
    if (!visible(after)) await unpinIfPinned(env, tx, input.postId, input.messageId);
    const row = (await readMessageRow(tx, input.messageId))!;
    await writeLog(tx, {
      postId: input.postId,
      actorId: actor.id,
      action,
      targetUserId: toNumber(row.author_id),
      targetMessageId: input.messageId,
      reason: input.reason,
    });
    await env.fanout.publish(tx, { postId: input.postId, version: toNumber(row.version) });
    return toMessage(row, { userId: actor.id, staff: true });
  });
}

export const hideMessage = (env: DomainEnv, actor: Actor, input: MessageActionInput) =>
  changeMessage(env, actor, input, 'hide');
export const unhideMessage = (env: DomainEnv, actor: Actor, input: MessageActionInput) =>
  changeMessage(env, actor, input, 'unhide');
export const deleteMessage = (env: DomainEnv, actor: Actor, input: MessageActionInput) =>
  changeMessage(env, actor, input, 'delete');
/** Publishes a message held for review (blocked terms): viewers see it from now on. */
export const releaseMessage = (env: DomainEnv, actor: Actor, input: MessageActionInput) =>
  changeMessage(env, actor, input, 'release');

async function unpinIfPinned(env: DomainEnv, tx: Executor, postId: number, messageId: number) {
  const [row] = await rows<{ version: unknown }>(
    tx,
    sql`update posts set pinned_message_id = null, version = nextval('chat_version_seq')
        where id = ${postId} and pinned_message_id = ${messageId} returning version`,
  );
  if (row) await env.fanout.publish(tx, { postId, version: toNumber(row.version) });
}

export type UserActionInput = ClientAction & { userId: number; reason?: string | undefined };

/** Moderators act on viewers only: the host and fellow moderators are out of reach (remove the role first). */
async function requireTargetViewer(tx: Executor, access: LiveAccess, userId: number) {
  const target = await firstRow<{ id: unknown; is_moderator: boolean }>(
    tx,
    sql`select u.id, exists(select 1 from live_roles r where r.post_id = ${toNumber(access.live.id)}
          and r.user_id = u.id) as is_moderator
        from users u where u.id = ${userId}`,
  );
  if (!target) refuse('not_found', 'User not found.');
  if (userId === toNumber(access.live.host_id) || target.is_moderator)
    refuse('forbidden', 'The host and the moderators cannot be banned or timed out.');
}

async function restrict(env: DomainEnv, actor: Actor, input: UserActionInput, seconds: number | null) {
  return inVersionedWrite(env, async (tx) => {
    const access = await loadLiveAccess(tx, input.postId, actor);
    requireStaff(access);
    await requireTargetViewer(tx, access, input.userId);
    if (!(await firstApplication(tx, actor, input, seconds === null ? 'ban' : 'timeout'))) {
      // Applied before: the restriction as it stands now (lifted since, if someone unbanned meanwhile).
      const now = await firstRow<{ expires_at: unknown }>(
        tx,
        sql`select expires_at from live_bans where post_id = ${input.postId} and user_id = ${input.userId}`,
      );
      return { postId: input.postId, userId: input.userId, until: now ? toIso(now.expires_at) : null };
    }
    const [row] = await rows<{ expires_at: unknown }>(
      tx,
      sql`insert into live_bans (post_id, user_id, expires_at, reason, created_by)
          values (${input.postId}, ${input.userId},
                  ${seconds === null ? null : sql`now() + make_interval(secs => ${seconds})`},
                  ${input.reason ?? null}, ${actor.id})
          on conflict (post_id, user_id) do update
            set expires_at = excluded.expires_at, reason = excluded.reason, created_by = excluded.created_by,
                created_at = now()
          returning expires_at`,
    );
    // A ban takes the user's reactions away with them; a timeout only silences them for a while.
    const reactionsRemoved =
      seconds === null ? await removeReactionsOf(env, tx, input.postId, input.userId) : 0;
    await writeLog(tx, {
      postId: input.postId,
      actorId: actor.id,
      action: seconds === null ? 'ban' : 'timeout',
      targetUserId: input.userId,
      reason: input.reason,
      ...(seconds === null
        ? reactionsRemoved > 0
          ? { details: { reactions_removed: reactionsRemoved } }
          : {}
        : { details: { seconds } }),
    });
    return { postId: input.postId, userId: input.userId, until: toIso(row!.expires_at) };
  });
}

export const banUser = (env: DomainEnv, actor: Actor, input: UserActionInput) =>
  restrict(env, actor, input, null);

export const timeoutUser = (env: DomainEnv, actor: Actor, input: UserActionInput & { seconds: number }) =>
  restrict(env, actor, input, input.seconds);

export async function unbanUser(env: DomainEnv, actor: Actor, input: UserActionInput) {
  return inVersionedWrite(env, async (tx) => {
    const access = await loadLiveAccess(tx, input.postId, actor);
    requireStaff(access);
    if (!(await firstApplication(tx, actor, input, 'unban')))
      return { postId: input.postId, userId: input.userId, until: null };
    await tx.execute(
      sql`delete from live_bans where post_id = ${input.postId} and user_id = ${input.userId}`,
    );
    await writeLog(tx, {
      postId: input.postId,
      actorId: actor.id,
      action: 'unban',
      targetUserId: input.userId,
      reason: input.reason,
    });
    return { postId: input.postId, userId: input.userId, until: null };
  });
}

export async function setSlowMode(
  env: DomainEnv,
  actor: Actor,
  input: ClientAction & { seconds: number },
): Promise<Live> {
  if (input.seconds < 0 || input.seconds > SLOW_MODE_MAX_SECONDS)
    refuse('invalid_input', `Slow mode is between 0 and ${SLOW_MODE_MAX_SECONDS} s.`);
  return inVersionedWrite(env, async (tx) => {
    const access = await loadLiveAccess(tx, input.postId, actor);
    requireStaff(access);
    if (!(await firstApplication(tx, actor, input, 'slow_mode'))) return toLive(access.live);
    const [row] = await rows<{ version: unknown }>(
      tx,
      sql`update posts set slow_mode_seconds = ${input.seconds}, version = nextval('chat_version_seq')
          where id = ${input.postId} returning version`,
    );
    await writeLog(tx, {
      postId: input.postId,
      actorId: actor.id,
      action: 'slow_mode',
      details: { seconds: input.seconds },
    });
    await env.fanout.publish(tx, { postId: input.postId, version: toNumber(row!.version) });
    return toLive((await loadLiveAccess(tx, input.postId, actor)).live);
  });
}

export type ModeratorInput = { postId: number; email: string };

export async function addModerator(env: DomainEnv, actor: Actor, input: ModeratorInput) {
  return inVersionedWrite(env, async (tx) => {
    const access = await loadLiveAccess(tx, input.postId, actor);
    requireHost(access);
    const userId = await findUserIdByEmail({ ...env, db: tx }, input.email);
    if (userId === actor.id) refuse('invalid_input', 'The host is already in charge of this live.');
    await tx.execute(
      sql`insert into live_roles (post_id, user_id) values (${input.postId}, ${userId}) on conflict do nothing`,
    );
    // A new moderator is no longer restricted on this live.
    await tx.execute(sql`delete from live_bans where post_id = ${input.postId} and user_id = ${userId}`);
    await writeLog(tx, {
      postId: input.postId,
      actorId: actor.id,
      action: 'add_moderator',
      targetUserId: userId,
    });
    return { postId: input.postId, userId, role: 'moderator' as const };
  });
}

export async function removeModerator(env: DomainEnv, actor: Actor, input: ModeratorInput) {
  return inVersionedWrite(env, async (tx) => {
    requireHost(await loadLiveAccess(tx, input.postId, actor));
    const userId = await findUserIdByEmail({ ...env, db: tx }, input.email);
    await tx.execute(sql`delete from live_roles where post_id = ${input.postId} and user_id = ${userId}`);
    await writeLog(tx, {
      postId: input.postId,
      actorId: actor.id,
      action: 'remove_moderator',
      targetUserId: userId,
    });
    return { postId: input.postId, userId, role: 'viewer' as const };
  });
}
