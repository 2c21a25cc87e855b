import { contentProblem, normalizeContent } from '../../shared/content';
import { isEmojiOnly } from '../../shared/emoji';
import { MESSAGE_MAX_LENGTH } from '../../shared/limits';
import { toNumber } from '../db/sql';
import type { LiveAccess } from './access';
import type { DomainEnv } from './env';
import { refuse } from './refusal';

/**
 * The rules one send must pass, as pure functions over what the send batch read for it (send-batch.ts): the
 * same refusals, codes and wording whether a message travels alone or among fifty.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Checks what the routers' zod schemas already check, because a batch is written in one statement: input that
 * the database would reject (a malformed uuid, a NUL byte) must be refused here, alone, instead of failing
 * every message sent with it. Returns the content to store: as given, except that lone UTF-16 surrogates become
 * U+FFFD (what encoding the text as UTF-8 for the database did before; JSON would carry them as an error).
 */
export function checkSendInput(input: {
  clientId: string;
  content: string;
  type?: string | undefined;
  replyTo?: number | null | undefined;
}): string {
  if (!UUID.test(input.clientId))
    refuse('invalid_input', 'clientId: Must be a valid UUID.', {
      errors: { clientId: ['Must be a valid UUID.'] },
    });
  const problem = contentProblem(normalizeContent(input.content));
  if (problem === 'empty')
    refuse('invalid_input', 'content: This field may not be blank.', {
      errors: { content: ['This field may not be blank.'] },
    });
  if (problem === 'too_long') {
    const message = `Ensure this field has no more than ${MESSAGE_MAX_LENGTH} characters.`;
    refuse('invalid_input', `content: ${message}`, { errors: { content: [message] } });
  }
  if (input.type !== undefined && input.type !== 'text' && input.type !== 'emoji')
    refuse('invalid_input', 'type: Must be text or emoji.', { errors: { type: ['Must be text or emoji.'] } });
  if (input.type === 'emoji' && !isEmojiOnly(input.content))
    refuse('invalid_input', 'content: An emoji message holds emoji only.', {
      errors: { content: ['An emoji message holds emoji only.'] },
    });
  if (input.replyTo != null && !(Number.isSafeInteger(input.replyTo) && input.replyTo > 0))
    refuse('invalid_input', 'reply_to: Must be a message id.', {
      errors: { reply_to: ['Must be a message id.'] },
    });
  if (input.content.includes('\u0000'))
    refuse('invalid_input', 'content: Null characters are not allowed.', {
      errors: { content: ['Null characters are not allowed.'] },
    });
  return input.content.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * One author's recent messages on one live, as the database had them when the batch started, plus what the
 * batch accepted before this message: ages in seconds, null when there is none.
 */
export type RecentSends = { inWindow: number; oldestAge: number | null; lastAge: number | null };

/** The batch accepted one more message from this author on this live (sent "now"). */
export function recordSend(recent: RecentSends): void {
  recent.oldestAge = recent.inWindow === 0 ? 0 : recent.oldestAge;
  recent.inWindow += 1;
  recent.lastAge = 0;
}

/** A reply answers a message of the same live (any state: a reply written before its parent was hidden stands). */
export function checkReplyParent(
  replyTo: number | null | undefined,
  postId: number,
  parentPosts: Map<number, number>,
): void {
  if (replyTo == null) return;
  if (parentPosts.get(replyTo) !== postId)
    refuse('invalid_input', `reply_to: No message ${replyTo} on this live.`, {
      errors: { reply_to: [`No message ${replyTo} on this live.`] },
    });
}

/** The live is open and the caller is neither banned nor timed out: what a send and a reaction both need. */
export function checkMayWrite(access: LiveAccess): void {
  if (access.live.status === 'ended') refuse('live_not_open', 'This live has ended.');
  if (access.live.status !== 'live') refuse('live_not_open', 'This live has not started yet.');
  if (access.restriction?.until === null) refuse('banned', 'You are banned from this live’s chat.');
  if (access.restriction)
    refuse('timed_out', `You are timed out for ${access.restriction.retryAfterSeconds} s.`, {
      retryAfterSeconds: access.restriction.retryAfterSeconds,
    });
}

/** Refuses a send the live's state, the caller's standing or the limits do not allow. */
export function checkMayPost(env: DomainEnv, access: LiveAccess, recent: RecentSends): void {
  checkMayWrite(access);
  const { rateWindowSeconds, rateViewer, ratePrivileged } = env.limits;
  const slow = access.staff ? 0 : toNumber(access.live.slow_mode_seconds);
  if (slow > 0 && recent.lastAge !== null && recent.lastAge < slow) {
    const wait = Math.max(1, Math.ceil(slow - recent.lastAge));
    refuse('slow_mode', `Slow mode is on: you can send another message in ${wait} s.`, {
      retryAfterSeconds: wait,
    });
  }
  const limit = access.staff ? ratePrivileged : rateViewer;
  if (recent.inWindow >= limit) {
    const wait = Math.max(1, Math.ceil(rateWindowSeconds - (recent.oldestAge ?? 0)));
    refuse(
      'rate_limited',
      `Too many messages: at most ${limit} per ${rateWindowSeconds} s. Try again in ${wait} s.`,
      { retryAfterSeconds: wait },
    );
  }
}
