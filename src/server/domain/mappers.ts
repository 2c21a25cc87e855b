import type { Author, ChatEvent, Live, Message, MessageType, Reaction } from '../../shared/wire';
import type { StoredReaction } from '../db/schema';
import { toIso, toNumber } from '../db/sql';

/** Raw rows as the domain's SQL selects them (snake_case, bigint possibly as string). */
export type UserRow = {
  id: unknown;
  email: string;
  first_name: string;
  last_name: string;
  profile_picture: string | null;
};

export type LiveRow = {
  id: unknown;
  title: string;
  description: string;
  status: Live['status'];
  started_at: unknown;
  ended_at: unknown;
  slow_mode_seconds: unknown;
  pinned_message_id: unknown;
  blocked_terms_revision: unknown;
  version: unknown;
  host_id: unknown;
  host_first_name: string;
  host_last_name: string;
  host_profile_picture: string | null;
};

export type MessageRow = {
  id: unknown;
  post_id: unknown;
  author_id: unknown;
  client_id: string;
  content: string;
  created_at: unknown;
  version: unknown;
  hidden: boolean;
  deleted: boolean;
  held: boolean;
  type: MessageType;
  reply_to_id: unknown;
  reactions: StoredReaction[] | string;
  first_name: string;
  last_name: string;
  profile_picture: string | null;
};

export const LIVE_COLUMNS = `p.id, p.title, p.description, p.status, p.started_at, p.ended_at, p.slow_mode_seconds,
  p.pinned_message_id, p.blocked_terms_revision, p.version, p.host_id, h.first_name as host_first_name, h.last_name as host_last_name,
  h.profile_picture as host_profile_picture`;

export const MESSAGE_COLUMNS = `m.id, m.post_id, m.author_id, m.client_id, m.content, m.created_at, m.version,
  m.hidden, m.deleted, m.held, m.type, m.reply_to_id, m.reactions, u.first_name, u.last_name, u.profile_picture`;

/**
 * A message's stored reactions (chat_messages.reactions) as one reader sees them: a count per emoji, `mine` when
 * the reader is among its users. Nothing for a message the reader may not read: its reactions go with its text.
 */
export function toReactions(
  stored: StoredReaction[] | string | null,
  readerId: number | null,
  readable: boolean,
): Reaction[] {
  if (!readable || stored === null) return [];
  return storedReactions(stored)
    .filter((reaction) => reaction.u.length > 0)
    .map((reaction) => ({
      emoji: reaction.e,
      count: reaction.u.length,
      mine: readerId !== null && reaction.u.some((id) => Number(id) === readerId),
    }));
}

/** The stored reactions column: jsonb arrives parsed from node-pg and PGlite; a driver's text is parsed here. */
export function storedReactions(stored: StoredReaction[] | string | null | undefined): StoredReaction[] {
  if (stored === null || stored === undefined) return [];
  return typeof stored === 'string' ? (JSON.parse(stored) as StoredReaction[]) : stored;
}

/** The rule of who may read a message's text (and its reactions), in one place for every mapper. */
export function isReadable(
  row: { deleted: boolean; hidden: boolean; held: boolean; author_id: unknown },
  reader: Reader,
): boolean {
  return (
    !row.deleted &&
    (reader.staff || (!row.hidden && (!row.held || reader.userId === toNumber(row.author_id))))
  );
}

export function toAuthor(row: UserRow): Author {
  return {
    id: toNumber(row.id),
    first_name: row.first_name,
    last_name: row.last_name,
    profile_picture: row.profile_picture,
  };
}

export function toUser(row: UserRow) {
  return { ...toAuthor(row), email: row.email };
}

export function toLive(row: LiveRow): Live {
  return {
    id: toNumber(row.id),
    title: row.title,
    description: row.description,
    status: row.status,
    started_at: toIso(row.started_at),
    ended_at: toIso(row.ended_at),
    slow_mode_seconds: toNumber(row.slow_mode_seconds),
    pinned_message_id: row.pinned_message_id === null ? null : toNumber(row.pinned_message_id),
    host: {
      id: toNumber(row.host_id),
      first_name: row.host_first_name,
      last_name: row.host_last_name,
      profile_picture: row.host_profile_picture,
    },
  };
}

/**
 * Who is reading decides what a message shows: staff see hidden and held text (they moderate it), the author
 * sees their own held message, everyone else gets the markers with the text blanked; deleted text is gone.
 */
export type Reader = { userId: number | null; staff: boolean };

export function toMessage(row: MessageRow, reader: Reader): Message {
  const authorId = toNumber(row.author_id);
  const readable = isReadable(row, reader);
  return {
    id: toNumber(row.id),
    content: readable ? row.content : '',
    timestamp: toIso(row.created_at)!,
    author: {
      id: authorId,
      first_name: row.first_name,
      last_name: row.last_name,
      profile_picture: row.profile_picture,
    },
    type: row.type ?? 'text',
    reply_to: row.reply_to_id === null || row.reply_to_id === undefined ? null : toNumber(row.reply_to_id),
    reactions: toReactions(row.reactions, reader.userId, readable),
    post_id: toNumber(row.post_id),
    client_id: row.client_id,
    version: toNumber(row.version),
    hidden: row.hidden,
    deleted: row.deleted,
    held: row.held,
  };
}

export function messageEvent(row: MessageRow, reader: Reader): ChatEvent {
  const message = toMessage(row, reader);
  return { type: 'message', version: message.version, message };
}

export function liveEvent(row: LiveRow): ChatEvent {
  return { type: 'live', version: toNumber(row.version), live: toLive(row) };
}
