import { performance } from 'node:perf_hooks';
import { PROTOCOL_VERSION, type ProtocolRange, protocolMismatch } from '../../shared/protocol';
import type { ChatEvent, Message, PullColumnsPage } from '../../shared/wire';
import type { AccountsStore } from '../db/accounts-store';
import type { ChatCache, OutboxEntry } from '../db/chat-cache';
import type { ReactionHistoryStore } from '../db/reaction-history-store';
import type { ReactionOutbox } from '../db/reaction-outbox';
import type { LivesStore } from '../db/lives-store';
import { type BackoffOptions, backoffDelay } from './backoff';
import { type CallFailure, classifyFailure } from './errors';
import { accountCredentials } from '../server-link/session-renewal';
import { type PagePuller, pagePuller } from './pull-fallback';
import { ReactionHistorySync } from './reaction-history-sync';
import { type ChatServerApi, createServerApi, type ServerApiOptions } from './server-api';
import type { StatusBoard } from './status';

/** The server the engine syncs with: `serverKey` names its cache, `url` is where it is now. */
export type SyncTarget = { mode: 'embedded' | 'remote'; serverKey: string; url: string };

export type SyncEngineOptions = {
  cache: ChatCache;
  reactions: ReactionOutbox;
  reactionHistory: ReactionHistoryStore;
  lives: LivesStore;
  accounts: AccountsStore;
  status: StatusBoard;
  backoff?: BackoffOptions;
  pullPageSize?: number;
  /** Test seam for the real client (e.g. to count calls); production uses createServerApi. */
  createApi?: (options: ServerApiOptions) => ChatServerApi;
};

/** Test seam: STUDIO_TEST_KILL_AFTER_PULL_PAGES=n dies the hardest way once n pulled pages were committed. */
let pulledPages = 0;
function killAfterPulledPage(): void {
  const limit = process.env.STUDIO_TEST_KILL_AFTER_PULL_PAGES;
  if (limit && ++pulledPages >= Number(limit)) process.kill(process.pid, 'SIGKILL');
}

/** Thrown inside a session to end it; carries why, for the status and the retry policy. */
class SessionEnded extends Error {
  constructor(readonly failure: CallFailure) {
    super(failure.message);
  }
}

const NOT_SIGNED_IN = 'Sign in to sync the chat with this server.';
/** The protocol versions this studio speaks (src/shared/protocol.ts): it talks to any server that shares one. */
const STUDIO_PROTOCOL: ProtocolRange = { min: 1, max: PROTOCOL_VERSION };
/**
 * Rows per pulled page, each applied in one synchronous SQLite transaction. Larger pages cost less in all (see
 * #syncLive), but the host shares Electron's main thread: a page blocks it while it is applied, so 10,000 (tens
 * of ms on a quiet machine) rather than the server's maximum of 20,000.
 */
const DEFAULT_PULL_PAGE = 10_000;

/**
 * Keeps the cache converging with one chat server (design §3): on each connection it measures the clock
 * offset, pulls every followed live by cursor (pages, one transaction each), subscribes from the cursor, and
 * pushes the outbox in order. Any transport failure ends the session; the engine reconnects with capped
 * exponential backoff and jitter, and the next session resumes from what SQLite says (never from memory).
 */
export class SyncEngine {
  readonly #o: SyncEngineOptions;
  #target: SyncTarget | null = null;
  #generation = 0;
  #session: SyncSession | null = null;
  #wake: (() => void) | null = null;
  #clockOffsetMs: number | null = null;
  #loop: Promise<void> = Promise.resolve();

  constructor(options: SyncEngineOptions) {
    this.#o = options;
  }

  get target(): SyncTarget | null {
    return this.#target;
  }

  /** Server clock − local clock in ms, measured at the last connection (null before the first one). */
  clockOffsetMs(): number | null {
    return this.#clockOffsetMs;
  }

  /** Switches to another server (or none); the old session ends first, its cache stays on disk untouched. */
  async setTarget(target: SyncTarget | null): Promise<void> {
    this.#generation++;
    this.#session?.end({ kind: 'transient', message: 'switching server' });
    this.#wake?.();
    await this.#loop;
    this.#target = target;
    this.#clockOffsetMs = null;
    this.#o.status.update({
      mode: target?.mode ?? null,
      server_url: target?.url ?? null,
      state: 'offline',
      last_error: null,
      progress: null,
      pending: target ? this.#o.cache.pendingCount(target.serverKey) : 0,
    });
    if (!target) return;
    const generation = this.#generation;
    this.#loop = this.#run(generation, target);
  }

  /** Reconnect now (after a sign-in, or when the user asks), instead of waiting out the backoff. */
  reconnect(): void {
    this.#session?.end({ kind: 'reconnect', message: 'reconnecting' });
    this.#wake?.();
  }

  /** Something was queued: push it now if connected, and refresh the pending count. */
  kick(): void {
    const target = this.#target;
    if (!target) return;
    this.#o.status.update({ pending: this.#o.cache.pendingCount(target.serverKey) });
    this.#session?.kick();
  }

  /** Keep this live's chat synced (now and after restarts). */
  follow(liveId: number): void {
    const target = this.#target;
    if (!target) return;
    this.#o.cache.follow(target.serverKey, liveId);
    // The session starts it only once, whether it found it at connect time or hears about it now.
    this.#session?.follow(liveId);
  }

  async close(): Promise<void> {
    await this.setTarget(null);
  }

  async #run(generation: number, target: SyncTarget): Promise<void> {
    let attempt = 0;
    while (generation === this.#generation) {
      const account = this.#o.accounts.get(target.serverKey);
      if (!account) {
        this.#o.status.update({ state: 'offline', last_error: NOT_SIGNED_IN, progress: null });
        await this.#sleep(null);
        continue;
      }
      const session = new SyncSession(this.#o, target, account.user.id, (offset) => {
        this.#clockOffsetMs = offset;
        attempt = 0;
      });
      this.#session = session;
      const failure = await session.run();
      this.#session = null;
      if (generation !== this.#generation) break;
      this.#o.status.update({
        state: 'offline',
        progress: null,
        pending: this.#o.cache.pendingCount(target.serverKey),
        last_error: failure.code === 'unauthenticated' ? NOT_SIGNED_IN : failure.message,
      });
      // A rejected token will not get better by retrying: wait for a sign-in (which calls reconnect()).
      if (failure.code === 'unauthenticated') await this.#sleep(null);
      else if (failure.code !== 'reconnect') await this.#sleep(backoffDelay(attempt++, this.#o.backoff));
    }
  }

  #sleep(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms);
      const engine = this;
      function done() {
        if (timer) clearTimeout(timer);
        if (engine.#wake === done) engine.#wake = null;
        resolve();
      }
      this.#wake = done;
    });
  }
}

type SessionOutcome = { code: string; message: string };

/** One connection to the server, from `time()` to the first failure. */
class SyncSession {
  readonly #o: SyncEngineOptions;
  readonly #target: SyncTarget;
  readonly #authorId: number;
  readonly #api: ChatServerApi;
  readonly #onConnected: (clockOffsetMs: number) => void;
  readonly #subscriptions: { unsubscribe(): void }[] = [];
  #ended = false;
  #finish!: (outcome: SessionOutcome) => void;
  readonly #finished = new Promise<SessionOutcome>((resolve) => {
    this.#finish = resolve;
  });
  #pushWake: (() => void) | null = null;
  #queue: ChatEvent[] = [];
  #flushScheduled = false;
  #progress = { done: 0, total: 0, pulling: 0 };
  /** Set at connect from the server's `protocol` answer: pullColumns, or pull where the server lacks it. */
  #pull: PagePuller | null = null;
  readonly #reactionHistory: ReactionHistorySync;

  constructor(
    options: SyncEngineOptions,
    target: SyncTarget,
    authorId: number,
    onConnected: (clockOffsetMs: number) => void,
  ) {
    this.#o = options;
    this.#target = target;
    this.#authorId = authorId;
    this.#onConnected = onConnected;
    this.#api = (options.createApi ?? createServerApi)({
      url: target.url,
      // Read from the store at each call: a token renewed by any client is used at once.
      ...accountCredentials(options.accounts, target.serverKey, target.url),
      onSocketClosed: () =>
        this.end({ kind: 'transient', message: 'The connection to the server was lost.' }),
    });
    this.#reactionHistory = new ReactionHistorySync(
      (input) => this.#api.reactionHistory(input),
      options.reactionHistory,
      target.serverKey,
    );
  }

  end(failure: CallFailure | { kind: 'reconnect'; message: string }): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#reactionHistory.stop();
    for (const subscription of this.#subscriptions.splice(0)) subscription.unsubscribe();
    this.#api.close();
    this.#pushWake?.();
    const code = failure.kind === 'refusal' ? failure.code : failure.kind;
    this.#finish({ code, message: failure.message });
  }

  kick(): void {
    this.#pushWake?.();
  }

  follow(liveId: number): void {
    void this.#syncLive(liveId).catch((error) => this.#fail(error));
  }

  /** Lives this session pulls or listens to: each once, whether found at connect or followed later. */
  readonly #syncing = new Set<number>();

  async run(): Promise<SessionOutcome> {
    void this.#connect().catch((error) => this.#fail(error));
    return this.#finished;
  }

  #fail(error: unknown): void {
    if (error instanceof SessionEnded) this.end(error.failure);
    else this.end(classifyFailure(error));
  }

  async #connect(): Promise<void> {
    const before = Date.now();
    // Both in one HTTP request (the batch link): asking what the server speaks costs no round trip of its own.
    const [{ epochMs }, protocol] = await Promise.all([this.#api.time(), this.#api.protocol()]);
    const after = Date.now();
    const mismatch = protocolMismatch(protocol, STUDIO_PROTOCOL);
    if (mismatch) throw new SessionEnded({ kind: 'transient', message: mismatch });
    this.#pull = pagePuller(this.#api, protocol);
    // The reply was stamped somewhere between our send and receive: assume the middle.
    this.#onConnected(epochMs - (before + after) / 2);
    this.#status('syncing');
    const followed = this.#o.cache.followedLives(this.#target.serverKey);
    await Promise.all(followed.map((liveId) => this.#syncLive(liveId)));
    await this.#pushLoop();
  }

  /** Pull by cursor until caught up, then subscribe from the cursor (the subscription replays any gap). */
  async #syncLive(liveId: number): Promise<void> {
    // A live followed before the server answered `protocol` is synced by #connect, with the others.
    const pull = this.#pull;
    if (!pull || this.#syncing.has(liveId)) return;
    this.#syncing.add(liveId);
    const { cache } = this.#o;
    const serverKey = this.#target.serverKey;
    // Large pages: the cache's index on client_id is random-keyed, so every commit rewrites most of its pages.
    // Measured here, applying 100,000 rows (CPU, bytes written): in commits of 1,000 rows 0.8 s and 381 MB, of
    // 10,000 0.46 s and 98 MB, of 20,000 0.42 s and 72 MB; in one single transaction 0.42 s and 49 MB.
    const limit = this.#o.pullPageSize ?? DEFAULT_PULL_PAGE;
    this.#progress.pulling++;
    try {
      let firstPage = true;
      let next = pull({ postId: liveId, cursor: cache.cursor(serverKey, liveId), limit });
      for (;;) {
        const page = await next;
        if (this.#ended) return;
        // Ask for the next page before applying this one: the network and SQLite then work side by side.
        if (page.hasMore) {
          // Only the first page counts what remains: counting on every page makes a long sync quadratic.
          next = pull({ postId: liveId, cursor: page.cursor, limit, withTotal: false });
          // If applying this page fails, nobody awaits the next one: its failure must not crash the process.
          next.catch(() => undefined);
        }
        if (firstPage) this.#progress.total += page.total ?? page.messages.id.length;
        firstPage = false;
        this.#applyPage(liveId, page);
        killAfterPulledPage();
        this.#progress.done += page.messages.id.length + (page.live ? 1 : 0);
        this.#status();
        if (!page.hasMore) break;
      }
    } finally {
      this.#progress.pulling--;
      if (this.#progress.pulling === 0) this.#progress = { done: 0, total: 0, pulling: 0 };
    }
    if (this.#ended) return;
    this.#reactionHistory.schedule(liveId);
    this.#subscriptions.push(
      this.#api.events(
        { postId: liveId, lastEventId: String(cache.cursor(serverKey, liveId)) },
        {
          onEvent: (event) => this.#enqueueEvent(event),
          onError: (error) => this.#fail(error),
        },
      ),
    );
    this.#status();
  }

  /** One pulled page: the live's own row (if it changed), then its messages and the cursor in one transaction. */
  #applyPage(liveId: number, page: PullColumnsPage): void {
    const started = performance.now();
    const serverKey = this.#target.serverKey;
    if (page.live) this.#o.lives.save(serverKey, page.live.live);
    const written = this.#o.cache.applyServerColumns(serverKey, liveId, page, {
      report: this.#o.cache.changes.hasListeners(),
    });
    if (process.env.DEBUG_SYNC)
      console.error(
        `[sync ${this.#target.url}] pull@${page.cursor}: ${page.messages.id.length} messages (${written} written) ${page.messages.version[0] ?? '-'}…${page.messages.version.at(-1) ?? '-'}${page.live ? ` + live@${page.live.version}` : ''} in ${(performance.now() - started).toFixed(1)} ms`,
      );
  }

  /** Live events are applied in small batches: one transaction per turn of the event loop, not per event. */
  #enqueueEvent(event: ChatEvent): void {
    this.#queue.push(event);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      const events = this.#queue.splice(0);
      if (this.#ended || events.length === 0) return;
      const cursors = new Map<number, number>();
      for (const event of events) {
        const liveId = event.type === 'message' ? event.message.post_id : event.live.id;
        cursors.set(liveId, Math.max(cursors.get(liveId) ?? 0, event.version));
      }
      this.#apply(
        events,
        [...cursors].map(([liveId, cursor]) => ({ liveId, cursor })),
      );
    });
  }

  #apply(events: ChatEvent[], cursors: { liveId: number; cursor: number }[]): void {
    const started = performance.now();
    const messages: Message[] = [];
    for (const event of events) {
      if (event.type === 'message') {
        messages.push(event.message);
        // A reaction given or taken back is a change of its message: its when and who follow shortly.
        this.#reactionHistory.schedule(event.message.post_id);
      } else this.#o.lives.save(this.#target.serverKey, event.live);
    }
    this.#o.cache.applyServerMessages(this.#target.serverKey, messages, cursors, {
      report: this.#o.cache.changes.hasListeners(),
    });
    // DEBUG_SYNC=1 traces what is applied (versions, cursors, time): for chasing a gap or a slow sync.
    if (process.env.DEBUG_SYNC)
      console.error(
        `[sync ${this.#target.url}] event: ${events.length} events ${events[0]?.version ?? '-'}…${events.at(-1)?.version ?? '-'} → ${JSON.stringify(cursors)} in ${(performance.now() - started).toFixed(1)} ms`,
      );
  }

  /** Pushes pending messages one by one, oldest first, until the session ends. */
  async #pushLoop(): Promise<void> {
    const { cache } = this.#o;
    const serverKey = this.#target.serverKey;
    while (!this.#ended) {
      const [entry] = cache.outbox(serverKey, this.#authorId, 1);
      // Messages first: a reaction may wait for the message it is on.
      if (!entry && (await this.#pushReaction())) continue;
      if (!entry) {
        this.#status();
        await new Promise<void>((resolve) => {
          this.#pushWake = resolve;
        });
        this.#pushWake = null;
        continue;
      }
      this.#status();
      let accepted: Message;
      try {
        accepted = await this.#api.send({
          postId: entry.liveId,
          clientId: entry.clientId,
          content: entry.content,
          type: entry.type,
          replyTo: this.#replyTarget(entry),
        });
      } catch (error) {
        const failure = classifyFailure(error);
        // A refused token is the session's problem, not the message's: it stays pending for the next sign-in.
        if (failure.kind === 'refusal' && failure.code !== 'unauthenticated') {
          cache.reject(serverKey, entry.seq, failure.message);
          continue;
        }
        throw new SessionEnded(failure);
      }
      if (process.env.STUDIO_TEST_KILL_AFTER_PUSH === '1') {
        // Test seam: die the hardest way right after the server accepted, before the ack is written.
        process.kill(process.pid, 'SIGKILL');
      }
      cache.applyServerMessages(serverKey, [accepted]);
    }
  }

  /**
   * The server id of the message a pending reply answers. The outbox sends in the order things were typed, so a
   * parent typed here is on the server before its reply; one that never will be (refused, discarded) leaves the
   * reply a plain message rather than losing it.
   */
  #replyTarget(entry: OutboxEntry): number | null {
    if (entry.replyToServerId !== null) return entry.replyToServerId;
    if (entry.replyToClientId === null) return null;
    return this.#o.cache.get(this.#target.serverKey, entry.replyToClientId)?.server_id ?? null;
  }

  /** Sends the oldest reaction toggle that can go; false when there is none. */
  async #pushReaction(): Promise<boolean> {
    const { cache, reactions } = this.#o;
    const serverKey = this.#target.serverKey;
    const entry = reactions.next(serverKey, this.#authorId);
    if (!entry) return false;
    if (entry.orphan || entry.messageServerId === null) {
      reactions.drop(entry.seq);
      return true;
    }
    this.#status();
    try {
      const message = await this.#api.react({
        postId: entry.liveId,
        messageId: entry.messageServerId,
        emoji: entry.emoji,
        on: entry.on,
      });
      cache.applyServerMessages(serverKey, [message]);
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind !== 'refusal' || failure.code === 'unauthenticated') throw new SessionEnded(failure);
      // Refused (the live ended, a ban, a hidden message): the server's count stands, so ours is undone.
      reactions.refused(serverKey, entry);
      return true;
    }
    reactions.done(entry);
    return true;
  }

  #status(state?: 'syncing' | 'online'): void {
    if (this.#ended) return;
    const pending = this.#o.cache.pendingCount(this.#target.serverKey);
    const pulling = this.#progress.pulling > 0;
    this.#o.status.update({
      state: state ?? (pulling || pending > 0 ? 'syncing' : 'online'),
      pending,
      last_error: null,
      progress: pulling ? { done: this.#progress.done, total: this.#progress.total } : null,
    });
  }
}
