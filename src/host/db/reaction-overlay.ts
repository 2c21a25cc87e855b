import type Database from 'better-sqlite3';
import type { Reaction } from '../../shared/wire';
import type { CachedRow } from './chat-cache';

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

type ToggleRow = {
  seq: number;
  client_id: string;
  reactions: string;
  server_reactions: string;
  emoji: string;
  on: number;
};

/**
 * What a cached message shows of its reactions, and the one rule that makes it: the server's last word
 * (`server_reactions`) with this computer's toggles not yet sent on top (`reaction_outbox`, oldest first). It is
 * rebuilt, never patched, whenever either side moves — a newer row from the server, a toggle, a toggle refused —
 * so a toggle refused after the server's row came in, or toggles that cancelled each other offline, leave the
 * server's counts, not a guess; and a newer row keeps showing what this user has not sent yet.
 */
export class ReactionOverlay {
  readonly #togglesOfServer: Database.Statement;
  readonly #togglesOfMessage: Database.Statement;
  readonly #message: Database.Statement;
  readonly #setReactions: Database.Statement;

  constructor(sqlite: Database.Database) {
    const toggles = `select m.seq, m.client_id, m.reactions, m.server_reactions, o.emoji, o."on" as "on"
       from reaction_outbox o
       join messages m on m.server_key = o.server_key and m.client_id = o.message_client_id
       where o.server_key = ? and o.status = 'pending'`;
    this.#togglesOfServer = sqlite.prepare(`${toggles} order by m.seq, o.seq`);
    this.#togglesOfMessage = sqlite.prepare(`${toggles} and m.seq = ? order by o.seq`);
    this.#message = sqlite.prepare(
      'select seq, reactions, server_reactions from messages where server_key = ? and client_id = ? order by seq limit 1',
    );
    this.#setReactions = sqlite.prepare('update messages set reactions = ? where seq = ? returning *');
  }

  /**
   * Rebuilds the messages of `serverKey` that have toggles waiting (only `messageClientId`'s when given, which
   * is rebuilt even when nothing waits for it any more). Runs inside the caller's transaction; returns the rows
   * that changed, by client id.
   */
  reapply(serverKey: string, messageClientId?: string): Map<string, CachedRow> {
    const bySeq = new Map<number, ToggleRow[]>();
    if (messageClientId === undefined) {
      for (const row of this.#togglesOfServer.all(serverKey) as ToggleRow[])
        bySeq.set(row.seq, [...(bySeq.get(row.seq) ?? []), row]);
    } else {
      const message = this.#message.get(serverKey, messageClientId) as ToggleRow | undefined;
      if (!message) return new Map();
      bySeq.set(message.seq, [
        message,
        ...(this.#togglesOfMessage.all(serverKey, message.seq) as ToggleRow[]),
      ]);
    }
    const changed = new Map<string, CachedRow>();
    for (const [seq, rows] of bySeq) {
      const [first] = rows as [ToggleRow];
      const shown = rows
        .filter((row) => row.emoji !== undefined)
        .reduce(
          (reactions, row) => withOwnReaction(reactions, row.emoji, row.on === 1),
          JSON.parse(first.server_reactions) as Reaction[],
        );
      const json = JSON.stringify(shown);
      if (json === first.reactions) continue;
      const row = this.#setReactions.get(json, seq) as CachedRow;
      changed.set(row.client_id, row);
    }
    return changed;
  }
}
