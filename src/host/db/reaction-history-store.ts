import type Database from 'better-sqlite3';
import type { ReactionEvent, ReactionHistory } from '../../shared/wire';

/**
 * How far before the last answer's `as_of` the next question starts: the server stamps a reaction with its
 * transaction's start, so one committed just after an answer may carry an earlier time. Rows are keyed by the
 * server's id: asking twice for the same entries rewrites them, nothing is counted twice.
 */
const SINCE_MARGIN_MS = 10_000;

/** Who gave one emoji on one message, as shown on hover. */
export type ReactionGivers = { emoji: string; names: string[] };

/** The host's copy of each live's reaction history (schema/reaction-history.ts): written by the sync, read by replay. */
export class ReactionHistoryStore {
  readonly #sqlite: Database.Database;
  readonly #upsert: Database.Statement;
  readonly #setState: Database.Statement;
  readonly #state: Database.Statement;
  readonly #ofLive: Database.Statement;
  readonly #standing: Database.Statement;
  /** Moves on every save: a replay rebuilds its time line when the copy changed under it. */
  revision = 0;

  constructor(sqlite: Database.Database) {
    this.#sqlite = sqlite;
    this.#upsert = sqlite.prepare(
      `insert into reaction_history
         (server_key, id, live_id, message_server_id, emoji, user_id, name, given_at, taken_at)
       values (@serverKey, @id, @liveId, @message_id, @emoji, @user_id, @name, @given_at, @taken_at)
       on conflict (server_key, id) do update set name = excluded.name, taken_at = excluded.taken_at`,
    );
    this.#setState = sqlite.prepare(
      `insert into reaction_history_state (server_key, live_id, as_of) values (?, ?, ?)
       on conflict (server_key, live_id) do update set as_of = excluded.as_of`,
    );
    this.#state = sqlite.prepare(
      'select as_of from reaction_history_state where server_key = ? and live_id = ?',
    );
    this.#ofLive = sqlite.prepare(
      `select message_server_id, emoji, user_id, given_at, taken_at from reaction_history
       where server_key = ? and live_id = ?`,
    );
    this.#standing = sqlite.prepare(
      `select emoji, name from reaction_history
       where server_key = ? and message_server_id = ? and taken_at is null order by id`,
    );
  }

  /** Where the next question to the server starts; undefined: the whole history (never asked yet). */
  since(serverKey: string, liveId: number): string | undefined {
    const row = this.#state.get(serverKey, liveId) as { as_of: string } | undefined;
    return row ? new Date(Date.parse(row.as_of) - SINCE_MARGIN_MS).toISOString() : undefined;
  }

  /** Whether this live's history was copied at least once (else a replay falls back to the standing counts). */
  known(serverKey: string, liveId: number): boolean {
    return this.#state.get(serverKey, liveId) !== undefined;
  }

  /** One page of an answer; `complete` (the last page) moves the live's `as_of`. */
  save(serverKey: string, liveId: number, page: ReactionHistory, complete: boolean): void {
    this.#sqlite.transaction(() => {
      for (const entry of page.entries) this.#upsert.run({ serverKey, liveId, ...entry });
      if (complete) this.#setState.run(serverKey, liveId, page.as_of);
    })();
    if (page.entries.length > 0) this.revision++;
  }

  /** Every reaction of a live, given and taken back, for the replay. */
  ofLive(serverKey: string, liveId: number): ReactionMoment[] {
    return (
      this.#ofLive.all(serverKey, liveId) as {
        message_server_id: number;
        emoji: string;
        user_id: number;
        given_at: string;
        taken_at: string | null;
      }[]
    ).map((row) => ({
      messageServerId: row.message_server_id,
      emoji: row.emoji,
      userId: row.user_id,
      givenAt: row.given_at,
      takenAt: row.taken_at,
    }));
  }

  /** Who gave each standing reaction of a message, in the order given (names on hover, offline too). */
  givers(serverKey: string, messageServerId: number): ReactionGivers[] {
    const byEmoji = new Map<string, string[]>();
    for (const row of this.#standing.all(serverKey, messageServerId) as Pick<
      ReactionEvent,
      'emoji' | 'name'
    >[]) {
      const names = byEmoji.get(row.emoji) ?? [];
      names.push(row.name);
      byEmoji.set(row.emoji, names);
    }
    return [...byEmoji].map(([emoji, names]) => ({ emoji, names }));
  }
}

/** One reaction's life, in server times: what replay-at-a-moment counts. */
export type ReactionMoment = {
  messageServerId: number;
  emoji: string;
  userId: number;
  givenAt: string;
  takenAt: string | null;
};
