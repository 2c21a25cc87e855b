import { z } from 'zod';
import { BLOCKED_TERM_MAX_LENGTH, BLOCKED_TERMS_MAX } from '../../shared/blocked-terms';
import { REACTION_MAX_LENGTH, SLOW_MODE_MAX_SECONDS } from '../../shared/limits';
import { contentSchema, liveStatusSchema, messageTypeSchema, postIdSchema } from '../../shared/wire';
import { MODERATION_LOG_PAGE_MAX } from '../domain/moderation-log';

/** The tRPC procedures' inputs, built from the shared wire schemas (src/shared/wire.ts). */
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const reason = z.string().trim().max(500).optional();

export const livePostInput = z.object({ postId: postIdSchema });
export const listLivesInput = z
  .object({ status: liveStatusSchema.optional(), mine: z.boolean().optional() })
  .default({});
export const sendInput = z.object({
  postId: postIdSchema,
  clientId: z.string().uuid(),
  content: contentSchema,
  /** `emoji`: emoji only (checked by the send rules). */
  type: messageTypeSchema.optional(),
  /** The server id of the message of this live that this one answers. */
  replyTo: z.number().int().positive().nullable().optional(),
});
export const messageOfLiveInput = z.object({ postId: postIdSchema, messageId: z.number().int().positive() });
export const reactInput = z.object({
  postId: postIdSchema,
  messageId: z.number().int().positive(),
  emoji: z.string().min(1).max(REACTION_MAX_LENGTH),
  /** Absent: the reaction toggles; true/false: it is given/taken back (idempotent, what an outbox replays). */
  on: z.boolean().optional(),
});
export const reactionHistoryInput = z.object({
  postId: postIdSchema,
  since: z.string().datetime({ offset: true }).optional(),
  afterId: id.optional(),
});
export const historyInput = z.object({
  postId: postIdSchema,
  beforeId: id.optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
export const pullInput = z.object({
  postId: postIdSchema,
  cursor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().min(1).max(1000).optional(),
  /** Count what remains after the cursor (for progress). A full count per page would make a long initial
   * sync quadratic, so a client asks for it on its first page only. Default true. */
  withTotal: z.boolean().optional(),
});
/** A bulk page: up to 20,000 rows, so that an initial sync commits a few large SQLite transactions, not hundreds. */
export const pullColumnsInput = pullInput.extend({
  limit: z.number().int().min(1).max(20_000).optional(),
});
export const eventsInput = z.object({
  postId: postIdSchema,
  /** tRPC sets it on reconnect to the last tracked() id received: a version. */
  lastEventId: z
    .string()
    .regex(/^\d{1,15}$/, 'lastEventId is a version number')
    .nullish(),
});
/**
 * The client's id for an action it may send twice (queued offline, resent after a crash): the server applies
 * it once per moderator and id (domain/moderation-once.ts), as it does sends per clientId.
 */
const clientActionId = z.string().uuid().optional();
export const messageActionInput = z.object({ postId: postIdSchema, messageId: id, reason, clientActionId });
export const userActionInput = z.object({ postId: postIdSchema, userId: id, reason, clientActionId });
export const timeoutInput = userActionInput.extend({
  seconds: z
    .number()
    .int()
    .min(1)
    .max(14 * 24 * 3600),
});
export const slowModeInput = z.object({
  postId: postIdSchema,
  seconds: z.number().int().min(0).max(SLOW_MODE_MAX_SECONDS),
  clientActionId,
});
export const moderatorInput = z.object({
  postId: postIdSchema,
  email: z.string().trim().toLowerCase().email(),
});
export const blockedTermsInput = z.object({
  postId: postIdSchema,
  terms: z.array(z.string().max(BLOCKED_TERM_MAX_LENGTH)).max(BLOCKED_TERMS_MAX),
  reason,
});
/** A pin is not queued offline (nor sent twice): no client action id. */
export const pinInput = z.object({ postId: postIdSchema, messageId: id, reason });
export const unpinInput = z.object({ postId: postIdSchema, reason });
export const moderationLogInput = z.object({
  postId: postIdSchema,
  beforeId: id.optional(),
  limit: z.number().int().min(1).max(MODERATION_LOG_PAGE_MAX).optional(),
});
