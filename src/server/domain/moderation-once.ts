import { sql } from 'drizzle-orm';
import type { ModerationAction } from '../db/schema/moderation';
import { firstRow, type Executor } from '../db/sql';
import type { Actor } from './env';
import { refuse } from './refusal';

/** What an action that may be sent twice carries: the client's id for it (a UUID), when the client sends one. */
export type ClientAction = { postId: number; clientActionId?: string | undefined };

/**
 * Records that `actor` applies the action `clientActionId` now, inside the action's own transaction (after its
 * checks, so a refusal records nothing): true the first time, false when it was already applied — the caller
 * then answers with the current state and changes nothing. As sends are idempotent on (author, clientId).
 *
 * Two copies of one action at once: the second one's insert waits on the first one's row lock and, once that
 * commits, finds the row (a replay); if the first rolls back, the second applies.
 * An action without an id (an older client) is applied every time, as before.
 */
export async function firstApplication(
  tx: Executor,
  actor: Actor,
  input: ClientAction,
  action: ModerationAction,
): Promise<boolean> {
  if (input.clientActionId === undefined) return true;
  const claimed = await firstRow<{ claimed: boolean }>(
    tx,
    sql`insert into moderation_action_ids (actor_id, client_action_id, post_id, action)
        values (${actor.id}, ${input.clientActionId}, ${input.postId}, ${action})
        on conflict (actor_id, client_action_id) do nothing
        returning true as claimed`,
  );
  if (claimed) return true;
  const earlier = await firstRow<{ post_id: unknown; action: string }>(
    tx,
    sql`select post_id, action from moderation_action_ids
        where actor_id = ${actor.id} and client_action_id = ${input.clientActionId}`,
  );
  if (earlier && (Number(earlier.post_id) !== input.postId || earlier.action !== action))
    refuse('invalid_input', 'This client action id was already used for another action.', {
      errors: { clientActionId: ['Already used for another action.'] },
    });
  return false;
}
