import { z } from 'zod';
import {
  banUser,
  deleteMessage,
  hideMessage,
  timeoutUser,
  unbanUser,
  unhideMessage,
} from '../domain/moderation';
import {
  fullModerationLog,
  MODERATION_LOG_PAGE_MAX,
  type ModerationLogEntry,
  moderationLog,
} from '../domain/moderation-log';
import { refuse } from '../domain/refusal';
import { toCsv } from './csv';
import type { Route } from './routes';
import { validate } from './validate';

const ID = '([^/]+)';
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const reason = z.string().trim().max(500).optional();
const banBodySchema = z.object({
  user_id: id,
  /** Present: a timeout of that many seconds; absent: a ban. */
  seconds: z
    .number()
    .int()
    .min(1)
    .max(14 * 24 * 3600)
    .optional(),
  reason,
});
const reasonBodySchema = z.object({ reason });
const logQuerySchema = z.object({
  before_id: z.coerce.number().pipe(id).optional(),
  limit: z.coerce.number().int().min(1).max(MODERATION_LOG_PAGE_MAX).optional(),
});

/** An action's optional body: `{reason}` when sent, nothing otherwise (DELETE rarely carries one). */
async function optionalReason(readBody: () => Promise<Record<string, unknown>>, hasBody: boolean) {
  return hasBody ? validate(reasonBodySchema, await readBody()).reason : undefined;
}

const LOG_CSV_HEADER = [
  'id',
  'created_at',
  'action',
  'actor_id',
  'actor_name',
  'target_user_id',
  'target_user_name',
  'target_message_id',
  'reason',
  'details',
];

function logCsv(entries: ModerationLogEntry[]): string {
  return toCsv(
    LOG_CSV_HEADER,
    entries.map((e) => [
      e.id,
      e.created_at,
      e.action,
      e.actor_id,
      e.actor_name,
      e.target_user_id,
      e.target_user_name,
      e.target_message_id,
      e.reason,
      e.details ? JSON.stringify(e.details) : '',
    ]),
  );
}

/** Moderation over REST (issue 7), in the seed's style: the same domain calls and checks as tRPC. */
export const MODERATION_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/api/posts/live/${ID}/chat/messages/${ID}/hide/$`),
    handle: async ({ env, actor, ids, readBody, hasBody }) => ({
      status: 200,
      body: await hideMessage(env, actor!, {
        postId: ids[0]!,
        messageId: ids[1]!,
        reason: await optionalReason(readBody, hasBody),
      }),
    }),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/posts/live/${ID}/chat/messages/${ID}/unhide/$`),
    handle: async ({ env, actor, ids, readBody, hasBody }) => ({
      status: 200,
      body: await unhideMessage(env, actor!, {
        postId: ids[0]!,
        messageId: ids[1]!,
        reason: await optionalReason(readBody, hasBody),
      }),
    }),
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/posts/live/${ID}/chat/messages/${ID}/$`),
    handle: async ({ env, actor, ids, readBody, hasBody }) => {
      await deleteMessage(env, actor!, {
        postId: ids[0]!,
        messageId: ids[1]!,
        reason: await optionalReason(readBody, hasBody),
      });
      return { status: 204, body: null };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/posts/live/${ID}/bans/$`),
    handle: async ({ env, actor, ids, readBody }) => {
      const body = validate(banBodySchema, await readBody());
      const input = { postId: ids[0]!, userId: body.user_id, reason: body.reason };
      const restriction =
        body.seconds === undefined
          ? await banUser(env, actor!, input)
          : await timeoutUser(env, actor!, { ...input, seconds: body.seconds });
      return { status: 201, body: restriction };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/posts/live/${ID}/bans/${ID}/$`),
    handle: async ({ env, actor, ids, readBody, hasBody }) => {
      await unbanUser(env, actor!, {
        postId: ids[0]!,
        userId: ids[1]!,
        reason: await optionalReason(readBody, hasBody),
      });
      return { status: 204, body: null };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/posts/live/${ID}/moderation/log/$`),
    handle: async ({ env, actor, ids, url }) => {
      const format = url.searchParams.get('format') ?? 'json';
      if (format !== 'json' && format !== 'csv')
        refuse('invalid_input', 'Select a valid format: json, csv.', {
          errors: { format: [`"${format}" is not a valid choice.`] },
        });
      if (format === 'json') {
        // JSON is read page by page like the tRPC procedure; CSV is the whole log, for the archive.
        const query = validate(logQuerySchema, {
          before_id: url.searchParams.get('before_id') ?? undefined,
          limit: url.searchParams.get('limit') ?? undefined,
        });
        const postId = ids[0]!;
        return {
          status: 200,
          body: await moderationLog(env, actor!, { postId, beforeId: query.before_id, limit: query.limit }),
        };
      }
      const entries = await fullModerationLog(env, actor!, ids[0]!);
      return {
        status: 200,
        body: logCsv(entries),
        contentType: 'text/csv; charset=utf-8',
        headers: { 'content-disposition': `attachment; filename="moderation-log-live-${ids[0]}.csv"` },
      };
    },
  },
];
