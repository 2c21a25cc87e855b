import type Database from 'better-sqlite3';
import type { Author, CachedMessage } from '../../shared/wire';
import { type CachedRow, toCachedMessage } from './chat-cache';
import type { ChatChanges } from './chat-changes';
import { ReactionOverlay } from './reaction-overlay';

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

/**
 * The reactions given or taken back on this computer (issue 16), over the host's SQLite file: a toggle shows at
 * once (the cached message's reactions change in the same commit) and waits in `reaction_outbox` for the sync
 * session, which sends the wanted state — so a toggle replayed after a crash or a lost answer changes nothing
 * twice, and two toggles made offline reach the server as their last word only. What the message shows is
 * the server's word with the toggles still queued on top (reaction-overlay.ts).
 */
export class ReactionOutbox {
  readonly #sqlite: Database.Database;
  readonly #changes: ChatChanges;
  readonly #overlay: ReactionOverlay;
  readonly #message: Database.Statement;
  readonly #queue: Database.Statement;
  readonly #next: Database.Statement;
  readonly #done: Database.Statement;
  readonly #drop: Database.Statement;
  readonly #pending: Database.Statement;

  constructor(sqlite: Database.Database, changes: ChatChanges) {
    this.#sqlite = sqlite;
    this.#changes = changes;
    this.#overlay = new ReactionOverlay(sqlite);
    this.#message = sqlite.prepare(
      'select * from messages where server_key = ? and client_id = ? order by seq limit 1',
    );
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
      this.#queue.run(
        input.serverKey,
        current.live_id,
        input.author.id,
        input.messageClientId,
        input.emoji,
        on ? 1 : 0,
      );
      const updated = this.#overlay.reapply(input.serverKey, input.messageClientId).get(row.client_id) ?? row;
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

  /**
   * The server refused the toggle (the live ended, a ban, a hidden message): it leaves the queue (unless the user
   * toggled again meanwhile) and the message shows the server's word again, with what else is still queued.
   */
  refused(serverKey: string, entry: Pick<ReactionEntry, 'seq' | 'messageClientId' | 'on'>): void {
    const message = this.#sqlite.transaction(() => {
      this.#done.run(entry.seq, entry.on ? 1 : 0);
      const row = this.#overlay.reapply(serverKey, entry.messageClientId).get(entry.messageClientId);
      return row ? toCachedMessage(row) : null;
    })();
    if (message) this.#changes.emit([{ serverKey, liveId: message.live_id, messages: [message] }]);
  }

  drop(seq: number): void {
    this.#drop.run(seq);
  }

  /** Toggles still to send (the convergence test waits for none). */
  pendingCount(serverKey: string): number {
    return (this.#pending.get(serverKey) as { n: number }).n;
  }
}
