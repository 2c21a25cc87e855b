import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type { Author, CachedMessage, Message } from '../../shared/wire';
import type { AccountsStore } from '../db/accounts-store';
import { accountCredentials } from '../server-link/session-renewal';
import { type ChatCache, toCachedMessage } from '../db/chat-cache';
import type { LivesStore } from '../db/lives-store';
import { backoffDelay } from '../sync/backoff';
import type { SyncTarget } from '../sync/engine';
import { classifyFailure } from '../sync/errors';
import type { StatusBoard } from '../sync/status';
import { createModerationApi, type ModerationApi, type ModerationLogEntry } from './moderation-api';
import { type ModerationActionName, type ModerationEntry, ModerationOutbox } from './moderation-outbox';

export class ModerationError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'PRECONDITION_FAILED',
    message: string,
  ) {
    super(message);
  }
}

export type ModerationServiceOptions = {
  sqlite: Database.Database;
  chat: ChatCache;
  lives: LivesStore;
  accounts: AccountsStore;
  status: StatusBoard;
  /** The chat server chosen now (the sync engine's target). */
  target: () => SyncTarget | null;
  /** Test seam (e.g. to count calls); production talks HTTP tRPC to the target. */
  createApi?: (options: {
    url: string;
    token: string;
    renew?: () => Promise<string | null>;
  }) => ModerationApi;
};

/** What a moderator asks for, from the pane or the replay. Message actions name the message by its client_id. */
export type ModerationRequest =
  | { action: 'hide' | 'unhide' | 'delete'; liveId: number; clientId: string; reason?: string | undefined }
  | { action: 'ban' | 'unban'; liveId: number; userId: number; reason?: string | undefined }
  | { action: 'timeout'; liveId: number; userId: number; seconds: number; reason?: string | undefined }
  | { action: 'slow_mode'; liveId: number; seconds: number };

export type ModerationLog = {
  /** The server's log as last read (newest first); `fetched_at` null if never read. */
  entries: ModerationLogEntry[];
  fetched_at: string | null;
  /** True when the server could not be asked now and `entries` come from the cache. */
  offline: boolean;
  /** Actions taken here, newest first (pending ones are not in the server's log yet). */
  local: ModerationEntry[];
  /** Display names of the ids in the log, from what this host knows. */
  names: Record<number, string>;
};

export type UserCard = {
  author: Author | null;
  messages: CachedMessage[];
  log: ModerationLogEntry[];
  local: ModerationEntry[];
};

const RETRY = { baseMs: 500, capMs: 30_000 };

/**
 * Moderation from this studio (issue 7): every action goes to a SQLite outbox first, then to the chat server
 * when online, oldest first, each applied once (a settled row is never sent again). Offline, the action waits;
 * the sync engine's reconnect (seen on the status board) drains it, and the server's new message versions then
 * reach the cache — and the pane — like any other change.
 */
export function createModerationService(options: ModerationServiceOptions) {
  const outbox = new ModerationOutbox(options.sqlite);
  const events = new EventEmitter<{ change: [{ serverKey: string; liveId: number }] }>();
  events.setMaxListeners(0);
  const makeApi = options.createApi ?? createModerationApi;
  const byClientId = options.sqlite.prepare(
    `select * from messages where server_key = ? and live_id = ? and client_id = ? limit 1`,
  );
  const byAuthor = options.sqlite.prepare(
    `select * from messages where server_key = ? and live_id = ? and author_id = ? order by sort_key desc limit ?`,
  );
  const heldRows = options.sqlite.prepare(
    `select * from messages where server_key = ? and live_id = ? and held = 1 and deleted = 0
     order by sort_key limit 500`,
  );
  const authorsOfLive = options.sqlite.prepare(
    `select author_id, author_first_name, author_last_name from messages where server_key = ? and live_id = ?
     group by author_id`,
  );
  const readLogCache = options.sqlite.prepare(
    `select entries, fetched_at from moderation_log_cache where server_key = ? and live_id = ?`,
  );
  const writeLogCache = options.sqlite.prepare(
    `insert into moderation_log_cache (server_key, live_id, entries, fetched_at) values (?, ?, ?, ?)
     on conflict (server_key, live_id) do update set entries = excluded.entries, fetched_at = excluded.fetched_at`,
  );

  let draining: Promise<void> | null = null;
  let again = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let closed = false;

  const changed = (serverKey: string, liveId: number) => events.emit('change', { serverKey, liveId });

  function session() {
    const target = options.target();
    if (!target) throw new ModerationError('PRECONDITION_FAILED', 'Choose a chat server first.');
    const account = options.accounts.get(target.serverKey);
    if (!account) throw new ModerationError('UNAUTHORIZED', 'Sign in to moderate.');
    return { target, account };
  }

  async function call(api: ModerationApi, queued: ModerationEntry): Promise<Message | null> {
    const entry = outbox.withActionId(queued);
    // Every send of one action carries its id: the server applies it once, however many times it arrives.
    const postId = entry.live_id;
    const clientActionId = entry.client_action_id;
    const reason = entry.reason ?? undefined;
    const withReason = reason ? { reason, clientActionId } : { clientActionId };
    switch (entry.action) {
      case 'hide':
      case 'unhide':
      case 'delete':
        return api[entry.action]({ postId, messageId: entry.message_id!, ...withReason });
      case 'ban':
      case 'unban':
        await api[entry.action]({ postId, userId: entry.user_id!, ...withReason });
        return null;
      case 'timeout':
        await api.timeout({ postId, userId: entry.user_id!, seconds: entry.seconds!, ...withReason });
        return null;
      case 'slow_mode': {
        const live = await api.setSlowMode({ postId, seconds: entry.seconds!, clientActionId });
        options.lives.save(options.target()!.serverKey, live);
        return null;
      }
    }
  }

  /** Applies pending actions in order until the outbox is empty or the server cannot be reached. */
  async function drainOnce(): Promise<void> {
    const target = options.target();
    const account = target ? options.accounts.get(target.serverKey) : null;
    if (!target || !account) return;
    const api = makeApi({
      url: target.url,
      token: account.token,
      renew: accountCredentials(options.accounts, target.serverKey, target.url).renew!,
    });
    for (;;) {
      if (closed || options.target()?.serverKey !== target.serverKey) return;
      const entry = outbox.next(target.serverKey, account.user.id);
      if (!entry) {
        attempt = 0;
        return;
      }
      let message: Message | null;
      try {
        message = await call(api, entry);
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.kind === 'refusal' && failure.code !== 'unauthenticated') {
          if (outbox.rejected(entry.seq, failure.message)) changed(target.serverKey, entry.live_id);
          continue;
        }
        // Unreachable (or the token expired): keep it, try again later, never twice at once.
        scheduleRetry();
        return;
      }
      if (process.env.STUDIO_TEST_KILL_AFTER_MODERATION === '1') {
        // Test seam: die the hardest way right after the server applied it, before the outbox records that.
        process.kill(process.pid, 'SIGKILL');
      }
      outbox.applied(entry.seq);
      // The server's answer is the message's new state: show it now rather than when the subscription brings it.
      if (message) options.chat.applyServerMessages(target.serverKey, [message]);
      changed(target.serverKey, entry.live_id);
    }
  }

  function scheduleRetry() {
    if (retryTimer || closed) return;
    retryTimer = setTimeout(
      () => {
        retryTimer = null;
        void flush();
      },
      backoffDelay(attempt++, RETRY),
    );
    retryTimer.unref?.();
  }

  /** One drain at a time; a call during a drain makes it run once more at the end. */
  function flush(): Promise<void> {
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      do {
        again = false;
        await drainOnce();
      } while (again && !closed);
    })()
      .catch((error) => console.error('moderation outbox:', error))
      .finally(() => {
        draining = null;
      });
    return draining;
  }

  // The sync engine reconnected (syncing/online): what was queued offline goes now.
  const stopStatus = options.status.listen((status) => {
    if (status.state !== 'offline') void flush();
  });

  function resolveMessage(serverKey: string, liveId: number, clientId: string): CachedMessage {
    const row = byClientId.get(serverKey, liveId, clientId) as
      | Parameters<typeof toCachedMessage>[0]
      | undefined;
    if (!row) throw new ModerationError('NOT_FOUND', 'No such message in this live.');
    const message = toCachedMessage(row);
    if (message.server_id === null)
      throw new ModerationError('BAD_REQUEST', 'This message has not reached the server yet.');
    return message;
  }

  function namesFor(serverKey: string, liveId: number): Record<number, string> {
    const names: Record<number, string> = {};
    for (const row of authorsOfLive.all(serverKey, liveId) as {
      author_id: number;
      author_first_name: string;
      author_last_name: string;
    }[])
      names[row.author_id] = `${row.author_first_name} ${row.author_last_name}`;
    const live = options.lives.get(serverKey, liveId);
    if (live) names[live.host.id] = `${live.host.first_name} ${live.host.last_name}`;
    const account = options.accounts.get(serverKey);
    if (account) names[account.user.id] = `${account.user.first_name} ${account.user.last_name}`;
    return names;
  }

  function cachedLog(serverKey: string, liveId: number) {
    const row = readLogCache.get(serverKey, liveId) as { entries: string; fetched_at: string } | undefined;
    return row
      ? { entries: JSON.parse(row.entries) as ModerationLogEntry[], fetched_at: row.fetched_at }
      : { entries: [], fetched_at: null };
  }

  return {
    events,

    /**
     * Queues an action and, when the server is reachable, applies it before returning, so that a refusal
     * (not a moderator of this live…) comes back at once. Offline, it returns the queued entry.
     */
    async act(request: ModerationRequest): Promise<ModerationEntry> {
      const { target, account } = session();
      const serverKey = target.serverKey;
      const action: ModerationActionName = request.action;
      let fields: Partial<Parameters<ModerationOutbox['add']>[0]>;
      switch (request.action) {
        case 'hide':
        case 'unhide':
        case 'delete': {
          const message = resolveMessage(serverKey, request.liveId, request.clientId);
          fields = {
            messageId: message.server_id,
            messageClientId: message.client_id,
            reason: request.reason,
          };
          break;
        }
        case 'slow_mode':
          fields = { seconds: request.seconds };
          break;
        case 'timeout':
          fields = { userId: request.userId, seconds: request.seconds, reason: request.reason };
          break;
        default:
          fields = { userId: request.userId, reason: request.reason };
      }
      const entry = outbox.add({
        serverKey,
        liveId: request.liveId,
        actorId: account.user.id,
        action,
        ...fields,
      });
      changed(serverKey, request.liveId);
      if (options.status.get().state !== 'offline') await flush();
      else scheduleRetry();
      return outbox.forLive(serverKey, request.liveId).find((e) => e.seq === entry.seq) ?? entry;
    },

    /** The server's log (saved for offline use) with this studio's own actions beside it. */
    async log(liveId: number): Promise<ModerationLog> {
      const { target, account } = session();
      const serverKey = target.serverKey;
      let offline = false;
      try {
        const entries = await makeApi({
          url: target.url,
          token: account.token,
          renew: accountCredentials(options.accounts, target.serverKey, target.url).renew!,
        }).log({ postId: liveId });
        writeLogCache.run(serverKey, liveId, JSON.stringify(entries), new Date().toISOString());
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.kind === 'refusal') throw new ModerationError('UNAUTHORIZED', failure.message);
        offline = true;
      }
      return {
        ...cachedLog(serverKey, liveId),
        offline,
        local: outbox.forLive(serverKey, liveId),
        names: namesFor(serverKey, liveId),
      };
    },

    /** Actions taken here on this live, newest first (pending, applied, rejected). */
    local(liveId: number): ModerationEntry[] {
      const { target } = session();
      return outbox.forLive(target.serverKey, liveId);
    },

    /** Messages held for review (blocked terms), oldest first. */
    held(liveId: number): CachedMessage[] {
      const { target } = session();
      return (heldRows.all(target.serverKey, liveId) as Parameters<typeof toCachedMessage>[0][]).map(
        toCachedMessage,
      );
    },

    /** One user on one live: their messages here (newest first) and what was done to them. */
    userCard(liveId: number, userId: number): UserCard {
      const { target } = session();
      const rows = byAuthor.all(target.serverKey, liveId, userId, 200) as Parameters<
        typeof toCachedMessage
      >[0][];
      const messages = rows.map(toCachedMessage);
      const targetIds = new Set(messages.map((m) => m.server_id));
      const log = cachedLog(target.serverKey, liveId).entries.filter(
        (e) =>
          e.target_user_id === userId || (e.target_message_id !== null && targetIds.has(e.target_message_id)),
      );
      const clientIds = new Set(messages.map((m) => m.client_id));
      const local = outbox
        .forLive(target.serverKey, liveId)
        .filter(
          (e) => e.user_id === userId || (e.message_client_id !== null && clientIds.has(e.message_client_id)),
        );
      return { author: messages[0]?.author ?? null, messages, log, local };
    },

    /** Host only: add or remove a moderator by e-mail (needs the server: a role is not queued offline). */
    async setModerator(liveId: number, email: string, role: 'moderator' | 'viewer'): Promise<void> {
      const { target, account } = session();
      const api = makeApi({
        url: target.url,
        token: account.token,
        renew: accountCredentials(options.accounts, target.serverKey, target.url).renew!,
      });
      if (role === 'moderator') await api.addModerator({ postId: liveId, email });
      else await api.removeModerator({ postId: liveId, email });
    },

    pendingCount(): number {
      const target = options.target();
      return target ? outbox.pendingCount(target.serverKey) : 0;
    },

    flush,

    async close(): Promise<void> {
      closed = true;
      stopStatus();
      if (retryTimer) clearTimeout(retryTimer);
      await draining;
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
