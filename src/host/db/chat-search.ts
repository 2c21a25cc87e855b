import type Database from 'better-sqlite3';

/** Rows indexed per slice while a live's index is built: a few milliseconds of the event loop each. */
const BUILD_SLICE = 400;
/** `indexed_seq` of a live wholly in the index: every later row is indexed as it is written. */
const WHOLE_LIVE = Number.MAX_SAFE_INTEGER;

/**
 * The FTS5 match expression of what a user typed: each space-separated piece a phrase whose last word is a
 * prefix, all pieces required in any order. "mess 42" finds "message 4242"; "7.5" finds "7.5 s", not "5 … 7".
 * Words are runs of letters and digits (what unicode61 indexes), so a quote can never reach the expression.
 * Null when nothing in it is a word (emoji, punctuation).
 */
export function matchExpression(query: string): string | null {
  const phrases = query
    .split(/\s+/u)
    .map((piece) => piece.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0))
    .filter((words) => words.length > 0)
    .map((words) => `"${words.join(' ')}"*`);
  return phrases.length === 0 ? null : phrases.join(' ');
}

/**
 * Full-text search of the cached chat (issue 18), over the FTS5 index of migration 0013 (why FTS5 and this
 * tokenizer: see there). A live enters the index the first time it is asked for (`build`: in slices, a turn of
 * the event loop between them); from then on the triggers keep it in step with what the sync writes.
 */
export class ChatSearch {
  readonly #state: Database.Statement;
  readonly #start: Database.Statement;
  readonly #sliceEnd: Database.Statement;
  readonly #slice: Database.Statement;
  readonly #advance: Database.Statement;
  readonly #match: Database.Statement;
  readonly #count: Database.Statement;
  readonly #sqlite: Database.Database;
  readonly #building = new Map<string, Promise<void>>();

  constructor(sqlite: Database.Database) {
    this.#sqlite = sqlite;
    this.#state = sqlite.prepare('select indexed_seq from search_lives where server_key = ? and live_id = ?');
    this.#start = sqlite.prepare(
      'insert into search_lives (server_key, live_id) values (?, ?) on conflict do nothing',
    );
    // By rowid range (`+` keeps the planner off the live's index, which would rescan the live for every slice).
    this.#sliceEnd = sqlite.prepare(
      `select max(seq) as last, count(*) as n from (select seq from messages
         where +server_key = ? and +live_id = ? and seq > ? order by seq limit ?)`,
    );
    this.#slice = sqlite.prepare(
      `insert into messages_fts (rowid, content, author)
       select seq, content, author_first_name || ' ' || author_last_name from messages
       where +server_key = ? and +live_id = ? and seq > ? and seq <= ?`,
    );
    this.#advance = sqlite.prepare(
      'update search_lives set indexed_seq = ? where server_key = ? and live_id = ?',
    );
    // The database filters, orders and counts: handing 100,000 ids to JavaScript to do it costs ~150 ms more.
    const matching = `from messages_fts f join messages m on m.seq = f.rowid
       where messages_fts match @match and m.server_key = @serverKey and m.live_id = @liveId
         and m.status = 'sent' and m.deleted = 0 and m.created_at >= @from and m.created_at <= @to`;
    this.#match = sqlite
      .prepare(`select m.client_id ${matching} order by m.created_at, m.server_id limit @limit`)
      .pluck();
    this.#count = sqlite.prepare(`select count(*) ${matching}`).pluck();
  }

  /** The live is wholly in the index: `search` answers for it. */
  ready(serverKey: string, liveId: number): boolean {
    const row = this.#state.get(serverKey, liveId) as { indexed_seq: number } | undefined;
    return row?.indexed_seq === WHOLE_LIVE;
  }

  /** Puts the live in the index, if it is not yet; one build per live at a time. */
  build(serverKey: string, liveId: number): Promise<void> {
    const key = `${serverKey}\u0000${liveId}`;
    const running = this.#building.get(key);
    if (running) return running;
    const building = this.#build(serverKey, liveId).finally(() => this.#building.delete(key));
    this.#building.set(key, building);
    return building;
  }

  async #build(serverKey: string, liveId: number): Promise<void> {
    this.#start.run(serverKey, liveId);
    for (;;) {
      // A slice and its mark commit together: a row is in the index exactly when the mark says so.
      const done = this.#sqlite.transaction(() => {
        const from = (this.#state.get(serverKey, liveId) as { indexed_seq: number }).indexed_seq;
        if (from === WHOLE_LIVE) return true;
        const end = this.#sliceEnd.get(serverKey, liveId, from, BUILD_SLICE) as {
          last: number | null;
          n: number;
        };
        if (end.last !== null) this.#slice.run(serverKey, liveId, from, end.last);
        const whole = end.n < BUILD_SLICE;
        this.#advance.run(whole ? WHOLE_LIVE : end.last, serverKey, liveId);
        return whole;
      })();
      if (done) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * The live's messages sent between `from` and `to` (the server's ISO times, as the cache keeps them) that
   * match every word of `query` by prefix, any order: the first `limit` in time order, and how many in all.
   * Null when the query has no word to look for.
   */
  search(
    serverKey: string,
    liveId: number,
    query: string,
    within: { from: string; to: string; limit: number },
  ): { clientIds: string[]; total: number } | null {
    const match = matchExpression(query);
    if (match === null) return null;
    const params = { match, serverKey, liveId, ...within };
    return { clientIds: this.#match.all(params) as string[], total: this.#count.get(params) as number };
  }
}
