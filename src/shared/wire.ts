import { z } from 'zod';
import {
  DESCRIPTION_MAX_LENGTH,
  MESSAGE_MAX_LENGTH,
  NAME_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  TITLE_MAX_LENGTH,
  USERNAME_MAX_LENGTH,
} from './limits';
import { contentProblem, normalizeContent } from './content';

/** The wire shapes shared by the chat server, the host and the renderer (design §3–4). */

export const authorSchema = z.object({
  id: z.number().int().positive(),
  first_name: z.string(),
  last_name: z.string(),
  profile_picture: z.string().nullable(),
});
export type Author = z.infer<typeof authorSchema>;

export const liveStatusSchema = z.enum(['scheduled', 'live', 'ended']);
export type LiveStatus = z.infer<typeof liveStatusSchema>;

export const liveSchema = z.object({
  id: z.number().int().positive(),
  title: z.string(),
  description: z.string(),
  status: liveStatusSchema,
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  slow_mode_seconds: z.number().int().nonnegative(),
  /** The message pinned by the staff (issue 7), or null; absent from older servers, hence the default. */
  pinned_message_id: z.number().int().nullable().default(null),
  host: authorSchema,
});
export type Live = z.infer<typeof liveSchema>;

/** `text`, or `emoji`: emoji only, shown large. (`reaction` is a kind of send, never a message: see below.) */
export const messageTypeSchema = z.enum(['text', 'emoji']);
export type MessageType = z.infer<typeof messageTypeSchema>;

/** One emoji's reactions on a message, for one reader: how many, and whether one of them is the reader's. */
export const reactionSchema = z.object({
  emoji: z.string(),
  count: z.number().int().positive(),
  mine: z.boolean(),
});
export type Reaction = z.infer<typeof reactionSchema>;

/**
 * One reaction as the live's history keeps it: who gave it, when, and when it was taken back (by its user or by
 * moderation). What a replay needs to show the counts as they stood at any moment, and the names on hover.
 */
export const reactionEventSchema = z.object({
  id: z.number().int().positive(),
  message_id: z.number().int().positive(),
  emoji: z.string(),
  user_id: z.number().int().positive(),
  name: z.string(),
  given_at: z.string(),
  taken_at: z.string().nullable(),
});
export type ReactionEvent = z.infer<typeof reactionEventSchema>;

/**
 * `as_of`: the server's time of the answer; ask again with `since` a little before it (see reaction-history).
 * `next_after_id`: the page was full; the rest comes with `afterId` (and the same `since`).
 */
export const reactionHistorySchema = z.object({
  entries: z.array(reactionEventSchema),
  next_after_id: z.number().int().positive().nullable(),
  as_of: z.string(),
});
export type ReactionHistory = z.infer<typeof reactionHistorySchema>;

/**
 * A chat message as the seed's REST API returns it. `type`, `reply_to` and `reactions` (issue 16) default for
 * servers that predate them.
 */
export const restMessageSchema = z.object({
  id: z.number().int().positive(),
  content: z.string(),
  timestamp: z.string(),
  author: authorSchema,
  type: messageTypeSchema.default('text'),
  /** The id of the message (same live) this one answers, or null. */
  reply_to: z.number().int().positive().nullable().default(null),
  /** In the order each emoji was first given; empty for a message the reader may not read. */
  reactions: z.array(reactionSchema).default([]),
});
export type RestMessage = z.infer<typeof restMessageSchema>;

/** A chat message as it syncs: the REST shape plus what the cache needs to converge. */
export const messageSchema = restMessageSchema.extend({
  post_id: z.number().int().positive(),
  client_id: z.string().uuid(),
  version: z.number().int().nonnegative(),
  hidden: z.boolean(),
  deleted: z.boolean(),
  /** Held for review (blocked terms): visible to moderators only. */
  held: z.boolean(),
});
export type Message = z.infer<typeof messageSchema>;

/**
 * What `chat.pull` and `chat.events` deliver, ordered by `version`. Every change of a message row
 * (new, hidden, unhidden, deleted) arrives as its full current state, so applying events is idempotent.
 */
export const chatEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), version: z.number().int(), message: messageSchema }),
  z.object({
    type: z.literal('live'),
    version: z.number().int(),
    live: liveSchema,
  }),
]);
export type ChatEvent = z.infer<typeof chatEventSchema>;

export const contentSchema = z
  .string({ error: 'content must be a string' })
  .transform(normalizeContent)
  .superRefine((value, ctx) => {
    const problem = contentProblem(value);
    if (problem === 'empty') ctx.addIssue({ code: 'custom', message: 'This field may not be blank.' });
    if (problem === 'too_long')
      ctx.addIssue({
        code: 'custom',
        message: `Ensure this field has no more than ${MESSAGE_MAX_LENGTH} characters.`,
      });
  });

/**
 * CommuniConnect's username (Django's rule: letters, digits and @ . + - _), stored lower-cased so that `unique`
 * is case-insensitive. Optional on every sign-up: the server derives one from the e-mail when it is absent.
 */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(USERNAME_MAX_LENGTH)
  .regex(/^[\w.@+-]+$/, 'Enter a valid username: letters, digits and @/./+/-/_ only.');

export const registerInputSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(PASSWORD_MIN_LENGTH).max(200),
  first_name: z.string().trim().min(1).max(NAME_MAX_LENGTH),
  last_name: z.string().trim().min(1).max(NAME_MAX_LENGTH),
  username: usernameSchema.optional(),
});
export type RegisterInput = z.infer<typeof registerInputSchema>;

/** The signed-in account as sign-up and sign-in return it (DRF's user serializer: at least these fields). */
export const accountProfileSchema = authorSchema.extend({ email: z.string(), username: z.string() });
export type AccountProfile = z.infer<typeof accountProfileSchema>;

/** A refresh token (simplejwt's `refresh`) for a new access token. */
export const refreshInputSchema = z.object({ refresh: z.string().min(1).max(200) });

export const loginInputSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(1).max(200),
});
export type LoginInput = z.infer<typeof loginInputSchema>;

export const createLiveInputSchema = z.object({
  title: z.string().trim().min(1).max(TITLE_MAX_LENGTH),
  description: z.string().trim().max(DESCRIPTION_MAX_LENGTH).default(''),
});
export type CreateLiveInput = z.infer<typeof createLiveInputSchema>;

export const postIdSchema = z.coerce.number().int().positive();

export const recordingStatusSchema = z.enum(['recording', 'finalizing', 'ready', 'recovered', 'failed']);
export type RecordingStatus = z.infer<typeof recordingStatusSchema>;

export const recordingSchema = z.object({
  id: z.string(),
  live_id: z.number().int().nullable(),
  live_title: z.string().nullable(),
  mime: z.string(),
  started_at: z.string(),
  /** server clock − local clock, in ms, measured when recording started. */
  server_clock_offset_ms: z.number(),
  duration_ms: z.number().nullable(),
  bytes: z.number().int().nonnegative(),
  status: recordingStatusSchema,
});
export type Recording = z.infer<typeof recordingSchema>;

/** A message as the host's cache holds it and the renderer shows it (design §3: the UI is driven by the cache). */
export const messageStatusSchema = z.enum(['pending', 'sent', 'rejected']);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const cachedMessageSchema = z.object({
  client_id: z.string().uuid(),
  live_id: z.number().int().positive(),
  /** The server's id once accepted; null while pending or when rejected. */
  server_id: z.number().int().positive().nullable(),
  content: z.string(),
  /** Server time once sent; local time while pending. ISO 8601. */
  created_at: z.string(),
  author: authorSchema,
  status: messageStatusSchema,
  /** Why the server refused it (shown to the user with retry/discard). */
  reason: z.string().nullable(),
  hidden: z.boolean(),
  deleted: z.boolean(),
  held: z.boolean(),
  version: z.number().int().nullable(),
  type: messageTypeSchema,
  /** The answered message: its server id when known, its client id when it was answered here (issue 16). */
  reply_to: z.number().int().positive().nullable(),
  reply_to_client_id: z.string().nullable(),
  /** As the server counted them, with this user's own toggles not yet sent already applied. */
  reactions: z.array(reactionSchema),
});
export type CachedMessage = z.infer<typeof cachedMessageSchema>;

export const connectionStateSchema = z.enum(['online', 'offline', 'syncing']);
export const connectionStatusSchema = z.object({
  mode: z.enum(['embedded', 'remote']).nullable(),
  server_url: z.string().nullable(),
  state: connectionStateSchema,
  pending: z.number().int().nonnegative(),
  last_error: z.string().nullable(),
  /** Initial sync of a long live: messages done out of total. */
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

/** Bits of `pullColumnsPageSchema.messages.flags`: one small integer per message instead of three booleans. */
export const MESSAGE_FLAG = { hidden: 1, deleted: 2, held: 4, emoji: 8 } as const;

/**
 * A page of `chat.pullColumns`: the same changes as `chat.pull` (every message row changed after the cursor, as it
 * now is, for this reader), sent column by column. A long initial sync moves 100,000s of rows: arrays of plain
 * values cost far less to build, serialise, parse and validate than one object per message, and each author's
 * names travel once per page. Entry i of every column is message i, in version order.
 */
export const pullColumnsPageSchema = z
  .object({
    cursor: z.number().int().nonnegative(),
    hasMore: z.boolean(),
    /** Changes left after the request's cursor, when asked for (`withTotal`), else null. */
    total: z.number().int().nonnegative().nullable(),
    messages: z.object({
      id: z.array(z.number().int().positive()),
      version: z.array(z.number().int().nonnegative()),
      client_id: z.array(z.string()),
      content: z.array(z.string()),
      /** ISO 8601 (UTC, milliseconds), as `Message.timestamp`. */
      created_at: z.array(z.string()),
      author_id: z.array(z.number().int().positive()),
      /** MESSAGE_FLAG bits. */
      flags: z.array(z.number().int().min(0).max(15)),
      /** Absent from servers before issue 16. */
      reply_to: z.array(z.number().int().positive().nullable()).optional(),
      reactions: z.array(z.array(reactionSchema)).optional(),
    }),
    /** Every author of the page's messages, once. */
    authors: z.array(authorSchema),
    /** The live's own row when it changed inside the page's range (status, slow mode, pin). */
    live: z.object({ version: z.number().int(), live: liveSchema }).nullable(),
  })
  .superRefine((page, ctx) => {
    const { messages, authors } = page;
    const n = messages.id.length;
    for (const [name, column] of Object.entries(messages))
      if (column.length !== n)
        ctx.addIssue({ code: 'custom', path: ['messages', name], message: `${n} rows expected` });
    const known = new Set(authors.map((a) => a.id));
    for (const id of new Set(messages.author_id))
      if (!known.has(id))
        ctx.addIssue({ code: 'custom', path: ['authors'], message: `author ${id} missing` });
  });
export type PullColumnsPage = z.infer<typeof pullColumnsPageSchema>;
