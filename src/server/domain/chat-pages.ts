import { sql } from 'drizzle-orm';
import type { Message } from '../../shared/wire';
import { firstRow, rows, toNumber } from '../db/sql';
import { loadLiveAccess } from './access';
import { readerOf } from './chat';
import type { Actor, DomainEnv } from './env';
import { MESSAGE_COLUMNS, type MessageRow, toMessage } from './mappers';
import { refuse } from './refusal';

export type MessagePageRequest = {
  postId: number;
  /** 1-based page number, or 'last'. */
  page: number | 'last';
  size: number;
  /** Keyset hints carried by our own next/previous links: the page starts after / ends before this id. */
  after?: number | null;
  before?: number | null;
};

export type MessagePage = { count: number; page: number; lastPage: number; messages: Message[] };

/**
 * One page of a live's chat, oldest first, as DRF's PageNumberPagination numbers it — without its cost. The
 * count is kept (post_counters) instead of a count(*) per request; a page reached through our next/previous
 * links is a keyset read (`id > after`, an index range), and a page jumped to by number is read from the
 * nearer end of the index, so the first and the last page are both cheap on a live of 100,000 messages.
 */
export async function pageMessages(
  env: DomainEnv,
  actor: Actor,
  request: MessagePageRequest,
): Promise<MessagePage> {
  // Two independent reads, in parallel: one round trip less per page.
  const [access, counted] = await Promise.all([
    loadLiveAccess(env.db, request.postId, actor),
    firstRow<{ visible: unknown; listed: unknown }>(
      env.db,
      sql`select coalesce(sum(visible), 0) as visible, coalesce(sum(listed), 0) as listed
          from post_counters where post_id = ${request.postId}`,
    ),
  ]);
  const reader = readerOf(actor, access);
  const count = toNumber(access.staff ? counted!.listed : counted!.visible);
  const lastPage = Math.max(1, Math.ceil(count / request.size));
  const page = request.page === 'last' ? lastPage : request.page;
  if (page > lastPage) refuse('not_found', 'Invalid page.');
  // Each filter matches one partial index exactly (see chat_messages' indexes).
  const filter = access.staff ? sql`not m.deleted` : sql`not m.hidden and not m.deleted and not m.held`;
  const offset = (page - 1) * request.size;
  const take = Math.min(request.size, count - offset);
  let found: MessageRow[];
  if (take <= 0) found = [];
  else if (request.after) {
    found = await rows<MessageRow>(
      env.db,
      sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
          where m.post_id = ${request.postId} and ${filter} and m.id > ${request.after}
          order by m.id limit ${request.size}`,
    );
  } else if (request.before) {
    found = (
      await rows<MessageRow>(
        env.db,
        sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
            where m.post_id = ${request.postId} and ${filter} and m.id < ${request.before}
            order by m.id desc limit ${request.size}`,
      )
    ).reverse();
  } else if (offset <= count - offset - take) {
    found = await rows<MessageRow>(
      env.db,
      sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
          where m.post_id = ${request.postId} and ${filter}
          order by m.id limit ${take} offset ${offset}`,
    );
  } else {
    found = (
      await rows<MessageRow>(
        env.db,
        sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
            where m.post_id = ${request.postId} and ${filter}
            order by m.id desc limit ${take} offset ${count - offset - take}`,
      )
    ).reverse();
  }
  return { count, page, lastPage, messages: found.map((row) => toMessage(row, reader)) };
}
