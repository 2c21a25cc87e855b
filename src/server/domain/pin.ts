import { sql } from 'drizzle-orm';
import type { Live } from '../../shared/wire';
import { firstRow, rows, toNumber } from '../db/sql';
import { loadLiveAccess, requireStaff } from './access';
import type { Actor, DomainEnv } from './env';
import { toLive } from './mappers';
import { writeLog } from './moderation-log';
import { refuse } from './refusal';
import { inVersionedWrite } from './write';

export type PinInput = { postId: number; messageId: number; reason?: string | undefined };
export type UnpinInput = { postId: number; reason?: string | undefined };

/**
 * Pins one message of the live (staff only), replacing any pinned one. The live's row gets a new version, so
 * the pin reaches every client as a live event, like slow mode.
 */
export async function pinMessage(env: DomainEnv, actor: Actor, input: PinInput): Promise<Live> {
  return setPinned(env, actor, input.postId, input.messageId, input.reason);
}

export async function unpinMessage(env: DomainEnv, actor: Actor, input: UnpinInput): Promise<Live> {
  return setPinned(env, actor, input.postId, null, input.reason);
}

async function setPinned(
  env: DomainEnv,
  actor: Actor,
  postId: number,
  messageId: number | null,
  reason: string | undefined,
): Promise<Live> {
  return inVersionedWrite(env, async (tx) => {
    const access = await loadLiveAccess(tx, postId, actor);
    requireStaff(access);
    let targetUserId: number | null = null;
    if (messageId !== null) {
      const message = await firstRow<{
        author_id: unknown;
        hidden: boolean;
        deleted: boolean;
        held: boolean;
      }>(
        tx,
        sql`select author_id, hidden, deleted, held from chat_messages
            where id = ${messageId} and post_id = ${postId} for share`,
      );
      if (!message) refuse('not_found', 'Message not found on this live.');
      if (message.deleted || message.held || message.hidden)
        refuse(
          'invalid_input',
          'Only a message everyone can read may be pinned (not deleted, hidden or held).',
          {
            errors: { messageId: ['This message cannot be pinned.'] },
          },
        );
      targetUserId = toNumber(message.author_id);
    }
    const current = access.live.pinned_message_id;
    const pinned = current === null ? null : toNumber(current);
    if (pinned === messageId) return toLive(access.live);
    const [row] = await rows<{ version: unknown }>(
      tx,
      sql`update posts set pinned_message_id = ${messageId}, version = nextval('chat_version_seq')
          where id = ${postId} returning version`,
    );
    await writeLog(tx, {
      postId,
      actorId: actor.id,
      action: messageId === null ? 'unpin' : 'pin',
      targetUserId,
      targetMessageId: messageId ?? pinned,
      reason,
    });
    await env.fanout.publish(tx, { postId, version: toNumber(row!.version) });
    return toLive((await loadLiveAccess(tx, postId, actor)).live);
  });
}
