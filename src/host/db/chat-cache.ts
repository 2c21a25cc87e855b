import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  type Author,
  type CachedMessage,
  MESSAGE_FLAG,
  type Message,
  type PullColumnsPage,
  type Reaction,
} from '../../shared/wire';
import { type ChatChange, type ChatChanges, groupByLive } from './chat-changes';
import { ReactionOverlay } from './reaction-overlay';

/** Local rows sort after every server id: ids are far below 2^50, and 2^50 + seq stays a safe integer. */
const LOCAL_SORT_BASE = 2 ** 50;

/** A `messages` row as SQLite returns it. */
export type CachedRow = {
  seq: number;
  server_key: string;
  live_id: number;
  client_id: string;
  server_id: number | null;
  version: number | null;
  status: 'pending' | 'sent' | 'rejected';
  reason: string | null;
  author_id: number;
  author_first_name: string;
  author_last_name: string;
  author_picture: string | null;
  content: string;
  created_at: string;
  hidden: number;
  deleted: number;
  held: number;
  type: 'text' | 'emoji';
  reply_to_server_id: number | null;
  reply_to_client_id: string | null;
  reactions: string;
  sort_key: number;
};

/** A pending row as the outbox pushes it. */
export type OutboxEntry = {
  seq: number;
  liveId: number;
  clientId: string;
  content: string;
  authorId: number;
  type: 'text' | 'emoji';
  replyToServerId: number | null;
  replyToClientId: string | null;
};

export function toCachedMessage(row: CachedRow): CachedMessage {
  return {
    client_id: row.client_id,
    live_id: row.live_id,
    server_id: row.server_id,
    content: row.content,
    created_at: row.created_at,
    author: {
      id: row.author_id,
      first_name: row.author_first_name,
      last_name: row.author_last_name,
      profile_picture: row.author_picture,
    },
    status: row.status,
    reason: row.reason,
    hidden: row.hidden === 1,
    deleted: row.deleted === 1,
    held: row.held === 1,
    version: row.version,
    type: row.type,
    reply_to: row.reply_to_server_id,
    reply_to_client_id: row.reply_to_client_id,
    reactions: JSON.parse(row.reactions) as Reaction[],
  };
}

function cachedFromColumns(
  liveId: number,
  page: Pick<PullColumnsPage, 'messages'>,
  author: Author,
  i: number,
): CachedMessage {
  const m = page.messages;
  const flags = m.flags[i]!;
  return {
    client_id: m.client_id[i]!,
    live_id: liveId,
    server_id: m.id[i]!,
    content: m.content[i]!,
    created_at: m.created_at[i]!,
    author,
    status: 'sent',
    reason: null,
    hidden: (flags & MESSAGE_FLAG.hidden) !== 0,
    deleted: (flags & MESSAGE_FLAG.deleted) !== 0,
    held: (flags & MESSAGE_FLAG.held) !== 0,
    version: m.version[i]!,
    type: flags & MESSAGE_FLAG.emoji ? 'emoji' : 'text',
    reply_to: m.reply_to?.[i] ?? null,
    reply_to_client_id: null,
    reactions: m.reactions?.[i] ?? [],
  };
}

/**
 * The chat cache and outbox over the host's SQLite file. Hot paths are prepared once (stack notes: a drizzle
 * insert per row is ~15× slower); every write reports the rows it changed to `changes` after it committed.
 */
export class ChatCache {
  readonly #sqlite: Database.Database;
  readonly #changes: ChatChanges;
  readonly #overlay: ReactionOverlay;
  readonly #insertPending: Database.Statement;
  readonly #setLocalSortKey: Database.Statement;
  readonly #upsertServer: Database.Statement;
  readonly #upsertServerQuiet: Database.Statement;
  readonly #listNewest: Database.Statement;
  readonly #listBefore: Database.Statement;
  readonly #sortKeyOf: Database.Statement;
  readonly #nextPending: Database.Statement;
  readonly #pendingCount: Database.Statement;
  readonly #reject: Database.Statement;
  readonly #retry: Database.Statement;
  readonly #discard: Database.Statement;
  readonly #byClientId: Database.Statement;
  readonly #setCursor: Database.Statement;
  readonly #follow: Database.Statement;
  readonly #cursor: Database.Statement;
  readonly #followed: Database.Statement;
  /** Prepared once: every pull page, live event and ack switches the fsync level (see #withoutFsync). */
  readonly #syncNormal: Database.Statement;
  readonly #syncFull: Database.Statement;

  constructor(sqlite: Database.Database, changes: ChatChanges) {
    this.#sqlite = sqlite;
    this.#changes = changes;
    this.#overlay = new ReactionOverlay(sqlite);
    this.#syncNormal = sqlite.prepare('pragma synchronous = NORMAL');
    this.#syncFull = sqlite.prepare('pragma synchronous = FULL');
    this.#insertPending = sqlite.prepare(
      `insert into messages (server_key, live_id, client_id, status, author_id, author_first_name,
         author_last_name, author_picture, content, created_at, sort_key, type, reply_to_server_id,
         reply_to_client_id)
       values (@serverKey, @liveId, @clientId, 'pending', @authorId, @firstName, @lastName, @picture, @content,
         @createdAt, 0, @type, @replyToServerId, @replyToClientId)
       returning seq`,
    );
    this.#setLocalSortKey = sqlite.prepare('update messages set sort_key = ? where seq = ?');
    // A server row overwrites ours only when it is newer, so events applied twice or out of order converge.
    // The reply's client id stays ours (the server knows only ids). The reactions are the server's word, shown
    // as is until this user's unsent toggles are put back on top (reaction-overlay.ts, same transaction).
    const upsert = `insert into messages (server_key, live_id, client_id, server_id, version, status, reason,
         author_id, author_first_name, author_last_name, author_picture, content, created_at, hidden, deleted, held,
         sort_key, type, reply_to_server_id, reactions, server_reactions)
       values (?, ?, ?, ?, ?, 'sent', null, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (server_key, client_id, author_id) do update set
         live_id = excluded.live_id, server_id = excluded.server_id, version = excluded.version, status = 'sent',
         reason = null, author_first_name = excluded.author_first_name, author_last_name = excluded.author_last_name,
         author_picture = excluded.author_picture, content = excluded.content, created_at = excluded.created_at,
         hidden = excluded.hidden, deleted = excluded.deleted, held = excluded.held, sort_key = excluded.sort_key,
         type = excluded.type, reply_to_server_id = excluded.reply_to_server_id, reactions = excluded.reactions,
         server_reactions = excluded.server_reactions
       where messages.version is null or excluded.version > messages.version`;
    this.#upsertServer = sqlite.prepare(`${upsert} returning *`);
    this.#upsertServerQuiet = sqlite.prepare(upsert);
    this.#listNewest = sqlite.prepare(
      `select * from messages where server_key = ? and live_id = ? order by sort_key desc limit ?`,
    );
    this.#listBefore = sqlite.prepare(
      `select * from messages where server_key = ? and live_id = ? and sort_key < ? order by sort_key desc limit ?`,
    );
    this.#sortKeyOf = sqlite.prepare(
      `select sort_key from messages where server_key = ? and live_id = ? and client_id = ? limit 1`,
    );
    this.#nextPending = sqlite.prepare(
      `select seq, live_id as liveId, client_id as clientId, content, author_id as authorId, type,
         reply_to_server_id as replyToServerId, reply_to_client_id as replyToClientId from messages
       where server_key = ? and status = 'pending' and author_id = ? order by seq limit ?`,
    );
    this.#pendingCount = sqlite.prepare(
      `select count(*) as n from messages where server_key = ? and status = 'pending'`,
    );
    this.#reject = sqlite.prepare(
      `update messages set status = 'rejected', reason = ? where seq = ? and status = 'pending' returning *`,
    );
    this.#retry = sqlite.prepare(
      `update messages set status = 'pending', reason = null
       where server_key = ? and client_id = ? and status = 'rejected' returning *`,
    );
    this.#discard = sqlite.prepare(
      `delete from messages where server_key = ? and client_id = ? and status = 'rejected' returning *`,
    );
    this.#byClientId = sqlite.prepare(
      `select * from messages where server_key = ? and client_id = ? order by seq limit 1`,
    );
    this.#setCursor = sqlite.prepare(
      `insert into sync_state (server_key, live_id, cursor) values (?, ?, ?)
       on conflict (server_key, live_id) do update set cursor = max(cursor, excluded.cursor)`,
    );
    this.#follow = sqlite.prepare(
      `insert into sync_state (server_key, live_id, cursor) values (?, ?, 0) on conflict do nothing`,
    );
    this.#cursor = sqlite.prepare(`select cursor from sync_state where server_key = ? and live_id = ?`);
    this.#followed = sqlite.prepare(`select live_id as liveId from sync_state where server_key = ?`);
  }

  /**
   * Writes a message typed by the user as `pending` and returns it. The commit is durable (synchronous=FULL)
   * before this returns: once the UI shows the message, a crash cannot lose it.
   */
  enqueue(input: {
    serverKey: string;
    liveId: number;
    content: string;
    author: Author;
    type?: 'text' | 'emoji';
    /** The answered message, as the cache holds it (its server id may still be unknown). */
    replyTo?: Pick<CachedMessage, 'client_id' | 'server_id'> | null;
  }): CachedMessage {
    const createdAt = new Date().toISOString();
    const clientId = randomUUID();
    const type = input.type ?? 'text';
    const replyToServerId = input.replyTo?.server_id ?? null;
    const replyToClientId = input.replyTo?.client_id ?? null;
    this.#sqlite.transaction(() => {
      const { seq } = this.#insertPending.get({
        serverKey: input.serverKey,
        liveId: input.liveId,
        clientId,
        authorId: input.author.id,
        firstName: input.author.first_name,
        lastName: input.author.last_name,
        picture: input.author.profile_picture,
        content: input.content,
        createdAt,
        type,
        replyToServerId,
        replyToClientId,
      }) as { seq: number };
      this.#setLocalSortKey.run(LOCAL_SORT_BASE + seq, seq);
    })();
    const message: CachedMessage = {
      client_id: clientId,
      live_id: input.liveId,
      server_id: null,
      content: input.content,
      created_at: createdAt,
      author: input.author,
      status: 'pending',
      reason: null,
      hidden: false,
      deleted: false,
      held: false,
      version: null,
      type,
      reply_to: replyToServerId,
      reply_to_client_id: replyToClientId,
      reactions: [],
    };
    this.#changes.emit([{ serverKey: input.serverKey, liveId: input.liveId, messages: [message] }]);
    return message;
  }

  /**
   * Applies messages as the server sees them (a push reply, a pull page, live events) in ONE transaction,
   * with the live's cursor moved forward in the same commit: a crash leaves either both or neither.
   */
  applyServerMessages(
    serverKey: string,
    messages: Message[],
    cursors: { liveId: number; cursor: number }[] = [],
    options: { report?: boolean } = {},
  ): CachedMessage[] {
    const report = options.report ?? true;
    const written = this.#withoutFsync(() => this.#applyServerMessages(serverKey, messages, cursors, report));
    // Listeners hear about it once the connection is back to durable commits (they may write).
    if (report) this.#changes.emit(groupByLive(serverKey, written));
    return written;
  }

  /**
   * Applies one page of a bulk pull (wire.ts pullColumnsPageSchema) of one live in ONE transaction, with the
   * live's cursor, like applyServerMessages, but straight from the columns: no message object per row on the way
   * in, and no read-back. The upsert sets every field a CachedMessage shows, so a row it wrote is exactly the
   * page's row; `changes` says whether it wrote (a newer version already cached is left alone). Returns how many
   * rows it wrote.
   */
  applyServerColumns(
    serverKey: string,
    liveId: number,
    page: Pick<PullColumnsPage, 'messages' | 'authors' | 'cursor'>,
    options: { report?: boolean } = {},
  ): number {
    const report = options.report ?? true;
    const { messages: m } = page;
    const authors = new Map(page.authors.map((a) => [a.id, a]));
    const written: CachedMessage[] = [];
    let count = 0;
    this.#withoutFsync(() =>
      this.#sqlite.transaction(() => {
        // One array, refilled per row: binding copies the values, so nothing is allocated per message.
        const values: unknown[] = new Array(19);
        values[0] = serverKey;
        values[1] = liveId;
        for (let i = 0; i < m.id.length; i++) {
          const author = authors.get(m.author_id[i]!)!;
          const flags = m.flags[i]!;
          values[2] = m.client_id[i];
          values[3] = m.id[i];
          values[4] = m.version[i];
          values[5] = author.id;
          values[6] = author.first_name;
          values[7] = author.last_name;
          values[8] = author.profile_picture;
          values[9] = m.content[i];
          values[10] = m.created_at[i];
          values[11] = flags & MESSAGE_FLAG.hidden ? 1 : 0;
          values[12] = flags & MESSAGE_FLAG.deleted ? 1 : 0;
          values[13] = flags & MESSAGE_FLAG.held ? 1 : 0;
          values[14] = m.id[i];
          values[15] = flags & MESSAGE_FLAG.emoji ? 'emoji' : 'text';
          values[16] = m.reply_to?.[i] ?? null;
          values[17] = m.reactions ? JSON.stringify(m.reactions[i]) : '[]';
          values[18] = values[17];
          if (this.#upsertServerQuiet.run(values).changes === 0) continue;
          count++;
          if (report) written.push(cachedFromColumns(liveId, page, author, i));
        }
        this.#showUnsentReactions(serverKey, written);
        this.#setCursor.run(serverKey, liveId, page.cursor);
      })(),
    );
    if (report) this.#changes.emit([{ serverKey, liveId, messages: written }]);
    return count;
  }

  /**
   * A server row replaced what its message showed: this user's toggles not yet sent go back on top, in the same
   * transaction, and the rows about to be reported say so (a message other than those only moves when the
   * overlay and its row disagreed, which the next change of that message reports).
   */
  #showUnsentReactions(serverKey: string, written: CachedMessage[]) {
    const shown = this.#overlay.reapply(serverKey);
    if (shown.size === 0) return;
    for (const message of written) {
      const row = shown.get(message.client_id);
      if (row) message.reactions = JSON.parse(row.reactions) as Reaction[];
    }
  }

  /**
   * What the server already holds need not be fsynced: if a power cut loses such a commit, the row stays pending
   * (pushed again, the server answers with the same message) or the cursor falls back (pulled again, the upserts
   * are idempotent). Skipping the fsync keeps acks and pulls from stalling the user's next send. Only the outbox
   * insert (enqueue) must be durable before it returns.
   */
  #withoutFsync<T>(write: () => T): T {
    this.#syncNormal.run();
    try {
      return write();
    } finally {
      this.#syncFull.run();
    }
  }

  #applyServerMessages(
    serverKey: string,
    messages: Message[],
    cursors: { liveId: number; cursor: number }[],
    report: boolean,
  ): CachedMessage[] {
    const written = this.#sqlite.transaction(() => {
      const rows: CachedMessage[] = [];
      for (const m of messages) {
        const values = [
          serverKey,
          m.post_id,
          m.client_id,
          m.id,
          m.version,
          m.author.id,
          m.author.first_name,
          m.author.last_name,
          m.author.profile_picture,
          m.content,
          m.timestamp,
          m.hidden ? 1 : 0,
          m.deleted ? 1 : 0,
          m.held ? 1 : 0,
          m.id,
          m.type,
          m.reply_to,
          JSON.stringify(m.reactions),
          JSON.stringify(m.reactions),
        ];
        if (report) {
          const row = this.#upsertServer.get(values) as CachedRow | undefined;
          if (row) rows.push(toCachedMessage(row));
        } else {
          this.#upsertServerQuiet.run(values);
        }
      }
      this.#showUnsentReactions(serverKey, rows);
      for (const { liveId, cursor } of cursors) this.#setCursor.run(serverKey, liveId, cursor);
      return rows;
    })();
    return written;
  }

  /** The server refused a pending message: it stays, `rejected`, with the server's words, for retry or discard. */
  reject(serverKey: string, seq: number, reason: string): CachedMessage | null {
    const row = this.#reject.get(reason, seq) as CachedRow | undefined;
    if (!row) return null;
    const message = toCachedMessage(row);
    this.#changes.emit([{ serverKey, liveId: message.live_id, messages: [message] }]);
    return message;
  }

  retry(serverKey: string, clientId: string): CachedMessage | null {
    const row = this.#retry.get(serverKey, clientId) as CachedRow | undefined;
    if (!row) return null;
    const message = toCachedMessage(row);
    this.#changes.emit([{ serverKey, liveId: message.live_id, messages: [message] }]);
    return message;
  }

  /** Removes a rejected message. Subscribers see it once more, marked deleted, so that they drop it. */
  discard(serverKey: string, clientId: string): CachedMessage | null {
    const row = this.#discard.get(serverKey, clientId) as CachedRow | undefined;
    if (!row) return null;
    const message = { ...toCachedMessage(row), deleted: true };
    this.#changes.emit([{ serverKey, liveId: message.live_id, messages: [message] }]);
    return message;
  }

  get(serverKey: string, clientId: string): CachedMessage | null {
    const row = this.#byClientId.get(serverKey, clientId) as CachedRow | undefined;
    return row ? toCachedMessage(row) : null;
  }

  /** Newest `limit` messages (or those before `before`, a client_id already shown), returned oldest → newest. */
  list(input: { serverKey: string; liveId: number; limit: number; before?: string | undefined }) {
    let rows: CachedRow[];
    if (input.before) {
      const anchor = this.#sortKeyOf.get(input.serverKey, input.liveId, input.before) as
        | { sort_key: number }
        | undefined;
      if (!anchor) return { messages: [], hasMore: false };
      rows = this.#listBefore.all(
        input.serverKey,
        input.liveId,
        anchor.sort_key,
        input.limit + 1,
      ) as CachedRow[];
    } else {
      rows = this.#listNewest.all(input.serverKey, input.liveId, input.limit + 1) as CachedRow[];
    }
    const hasMore = rows.length > input.limit;
    const page = hasMore ? rows.slice(0, input.limit) : rows;
    const messages: CachedMessage[] = new Array(page.length);
    for (let i = 0; i < page.length; i++) messages[page.length - 1 - i] = toCachedMessage(page[i]!);
    return { messages, hasMore };
  }

  /** The oldest pending messages of this author on this server, in the order they were typed. */
  outbox(serverKey: string, authorId: number, limit = 50): OutboxEntry[] {
    return this.#nextPending.all(serverKey, authorId, limit) as OutboxEntry[];
  }

  pendingCount(serverKey: string): number {
    return (this.#pendingCount.get(serverKey) as { n: number }).n;
  }

  /** Marks a live as followed: the sync engine keeps its chat up to date from now on, across restarts. */
  follow(serverKey: string, liveId: number): boolean {
    // Read first: this runs on every chat.list and send, and a read never waits for a write lock or an fsync.
    if (this.#cursor.get(serverKey, liveId)) return false;
    return this.#follow.run(serverKey, liveId).changes > 0;
  }

  cursor(serverKey: string, liveId: number): number {
    return (this.#cursor.get(serverKey, liveId) as { cursor: number } | undefined)?.cursor ?? 0;
  }

  followedLives(serverKey: string): number[] {
    return (this.#followed.all(serverKey) as { liveId: number }[]).map((r) => r.liveId);
  }

  /** For subscriptions opened on the same object (tests, benches). */
  get changes(): ChatChanges {
    return this.#changes;
  }
}

export type { ChatChange };
