import type Database from 'better-sqlite3';
import type { Author, CachedMessage, Reaction } from '../../shared/wire';
import { type CachedRow, toCachedMessage } from './chat-cache';
import type { ChatChanges } from './chat-changes';

/** A reaction toggle waiting for the server, with its message's server id (null while that one is pending). */
export type ReactionEntry = {
  seq: number;
  liveId: number;
  messageClientId: string;
  messageServerId: number | null;
  /** The message can no longer be sent (refused, discarded): the toggle has nowhere to go. */
  orphan: boolean;
  emoji: string;
  on: boolean;
};

/** `reactions` with this user's reaction `emoji` set to `on`: counts moved by one, order kept, empty ones gone. */
export function withOwnReaction(reactions: Reaction[], emoji: string, on: boolean): Reaction[] {
  const found = reactions.find((reaction) => reaction.emoji === emoji);
  if (!found) return on ? [...reactions, { emoji, count: 1, mine: true }] : reactions;
  if (found.mine === on) return reactions;
  return reactions
    .map((reaction) =>
      reaction === found ? { emoji, count: reaction.count + (on ? 1 : -1), mine: on } : reaction,
    )
    .filter((reaction) => reaction.count > 0);
}

/**
 * The reactions given or taken back on this computer (issue 16), over the host's SQLite file: a toggle shows at
 * once (the cached message's reactions change in the same commit) and waits in `reaction_outbox` for the sync
 * session, which sends the wanted state — so a toggle replayed after a crash or a lost answer changes nothing
 * twice, and two toggles made offline reach the server as their last word only.
 */
export class ReactionOutbox {
  readonly #sqlite: Database.Database;
  readonly #changes: ChatChanges;
  readonly #message: Database.Statement;
  readonly #setReactions: Database.Statement;
  readonly #queue: Database.Statement;
  readonly #next: Database.Statement;
  readonly #done: Database.Statement;
  readonly #drop: Database.Statement;
  readonly #pending: Database.Statement;

  constructor(sqlite: Database.Database, changes: ChatChanges) {
    this.#sqlite = sqlite;
    this.#changes = changes;
    this.#message = sqlite.prepare(
      'select * from messages where server_key = ? and client_id = ? order by seq limit 1',
    );
    this.#setReactions = sqlite.prepare('update messages set reactions = ? where seq = ? returning *');
    this.#queue = sqlite.prepare(
      `insert into reaction_outbox (server_key, live_id, author_id, message_client_id, emoji, "on")
       values (?, ?, ?, ?, ?, ?)
       on conflict (server_key, author_id, message_client_id, emoji)
         do update set "on" = excluded."on", status = 'pending', reason = null`,
    );
    this.#next = sqlite.prepare(
      `select o.seq, o.live_id as liveId, o.message_client_id as messageClientId, m.server_id as messageServerId,
         (m.seq is null or m.status = 'rejected') as orphan, o.emoji, o."on" as "on"
       from reaction_outbox o
       left join messages m on m.server_key = o.server_key and m.client_id = o.message_client_id
       where o.server_key = ? and o.author_id = ? and o.status = 'pending'
         and (m.server_id is not null or m.seq is null or m.status = 'rejected')
       order by o.seq limit 1`,
    );
    this.#done = sqlite.prepare(`delete from reaction_outbox where seq = ? and "on" = ?`);
    this.#drop = sqlite.prepare('delete from reaction_outbox where seq = ?');
    this.#pending = sqlite.prepare(
      `select count(*) as n from reaction_outbox where server_key = ? and status = 'pending'`,
    );
  }

  /** Gives or takes back the user's `emoji` on a cached message; returns the message as it now shows. */
  toggle(input: {
    serverKey: string;
    messageClientId: string;
    emoji: string;
    author: Author;
  }): CachedMessage | null {
    const message = this.#sqlite.transaction(() => {
      const row = this.#message.get(input.serverKey, input.messageClientId) as CachedRow | undefined;
      if (!row) return null;
      const current = toCachedMessage(row);
      const on = !current.reactions.some((reaction) => reaction.emoji === input.emoji && reaction.mine);
      const updated = this.#setReactions.get(
        JSON.stringify(withOwnReaction(current.reactions, input.emoji, on)),
        row.seq,
      ) as CachedRow;
      this.#queue.run(
        input.serverKey,
        current.live_id,
        input.author.id,
        input.messageClientId,
        input.emoji,
        on ? 1 : 0,
      );
      return toCachedMessage(updated);
    })();
    if (message)
      this.#changes.emit([{ serverKey: input.serverKey, liveId: message.live_id, messages: [message] }]);
    return message;
  }

  /** The oldest toggle that can be sent now: its message is on the server (or gone for good: `orphan`). */
  next(serverKey: string, authorId: number): ReactionEntry | null {
    const row = this.#next.get(serverKey, authorId) as
      | (Omit<ReactionEntry, 'on' | 'orphan'> & { on: number; orphan: number })
      | undefined;
    return row ? { ...row, on: row.on === 1, orphan: row.orphan === 1 } : null;
  }

  /** The server has it (or refused it: its own state stands). A toggle changed meanwhile stays queued. */
  done(entry: Pick<ReactionEntry, 'seq' | 'on'>): void {
    this.#done.run(entry.seq, entry.on ? 1 : 0);
  }

  /** The server refused the toggle: the message shows this user's reaction as it was before it. */
  revert(serverKey: string, entry: Pick<ReactionEntry, 'messageClientId' | 'emoji' | 'on'>): void {
    const message = this.#sqlite.transaction(() => {
      const row = this.#message.get(serverKey, entry.messageClientId) as CachedRow | undefined;
      if (!row) return null;
      const reactions = withOwnReaction(toCachedMessage(row).reactions, entry.emoji, !entry.on);
      return toCachedMessage(this.#setReactions.get(JSON.stringify(reactions), row.seq) as CachedRow);
    })();
    if (message) this.#changes.emit([{ serverKey, liveId: message.live_id, messages: [message] }]);
  }

  drop(seq: number): void {
    this.#drop.run(seq);
  }

  pendingCount(serverKey: string): number {
    return (this.#pending.get(serverKey) as { n: number }).n;
  }
}
