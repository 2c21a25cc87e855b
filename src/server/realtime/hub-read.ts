import { sql } from 'drizzle-orm';
import { rows, toNumber } from '../db/sql';
import { loadLiveAccess } from '../domain/access';
import type { ChangeRows } from '../domain/chat';
import type { DomainEnv } from '../domain/env';
import { safeHorizon } from '../domain/horizon';
import { MESSAGE_COLUMNS, type MessageRow } from '../domain/mappers';

/**
 * The hub's reads of one live: what readChanges (domain/chat.ts) returns, plus the rows that were above its
 * safe horizon last time, handed out now that the horizon covers them.
 *
 * Why: a read settles its horizon first (horizon.ts waits out the transactions running at that moment), then
 * reads up to it. A message rewritten hundreds of times a second (reactions, issue 16) has by then always been
 * rewritten again, by a writer that was queued on its row lock: its row is above every horizon, and through
 * readChanges alone no subscriber saw it until the burst stopped (measured: one frame, at the end of a 5 s
 * burst). Such a row is committed; only its version cannot be a cursor yet (a smaller one may still commit).
 * So it is kept, and goes out with the next read, whose horizon covers it: as the state it had then, unless
 * that read finds a newer state of the message within its own horizon. Pulls keep readChanges: they are
 * one-off, and a row rewritten that fast reaches them once it rests.
 */
export class LiveReader {
  /** Rows seen above the horizon, by message id: committed, waiting for a horizon that covers them. */
  private readonly carried = new Map<number, MessageRow>();

  constructor(
    private readonly env: DomainEnv,
    private readonly postId: number,
  ) {}

  /** The changes after `cursor`, in version order; the cursor returned covers exactly them. */
  async read(cursor: number, limit: number): Promise<ChangeRows> {
    const horizon = await safeHorizon(this.env);
    // No upper bound: the rows above the horizon are the ones to carry (in version order, they come last).
    const found = await rows<MessageRow>(
      this.env.db,
      sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
          where m.post_id = ${this.postId} and m.version > ${cursor}
          order by m.version limit ${limit + 1}`,
    );
    let within = found.findIndex((row) => toNumber(row.version) > horizon);
    if (within < 0) within = found.length;
    const hasMore = within > limit;
    const messages = found.slice(0, Math.min(within, limit));
    const upTo = hasMore ? toNumber(messages[messages.length - 1]!.version) : Math.max(cursor, horizon);
    const handed = this.merge(messages, upTo);
    if (!hasMore) for (const row of found.slice(within)) this.carried.set(toNumber(row.id), row);
    // As readChanges: the live's own row (status, slow mode), read after the horizon so its version is settled.
    const live = (await loadLiveAccess(this.env.db, this.postId, null)).live;
    const liveVersion = toNumber(live.version);
    return {
      messages: handed,
      live: liveVersion > cursor && liveVersion <= upTo ? live : null,
      cursor: upTo,
      hasMore,
      horizon,
    };
  }

  /** This read's rows with the carried ones the cursor now covers, unless this read has a newer state of them. */
  private merge(messages: MessageRow[], upTo: number): MessageRow[] {
    if (this.carried.size === 0) return messages;
    const fresh = new Set(messages.map((row) => toNumber(row.id)));
    const handed = [...messages];
    for (const [id, row] of this.carried) {
      if (fresh.has(id)) this.carried.delete(id);
      else if (toNumber(row.version) <= upTo) {
        handed.push(row);
        this.carried.delete(id);
      }
    }
    return handed.sort((a, b) => toNumber(a.version) - toNumber(b.version));
  }
}
