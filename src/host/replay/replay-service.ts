import type Database from 'better-sqlite3';
import type { ChatChanges } from '../db/chat-changes';
import type { ChatSearch } from '../db/chat-search';
import type { ReactionHistoryStore } from '../db/reaction-history-store';
import { toCachedMessage } from '../db/chat-cache';
import type { RecordingService } from '../recording/recording-service';
import type { RecordingView } from '../recording/recording-view';
import type { ReplayClock } from '../../shared/replay-clock';
import { reactionsAt } from '../../shared/reaction-spans';
import { ReactionTimeline } from './reaction-timeline';
import { type ReplayHit, ReplayIndex, type ReplayMessage, type ReplayWindow } from './replay-index';

type CachedRow = Parameters<typeof toCachedMessage>[0];

export type ReplayServiceOptions = {
  sqlite: Database.Database;
  changes: ChatChanges;
  recordings: Pick<RecordingService, 'get'>;
  /** The server chosen now, for recordings that do not say which server their live is on; null when none. */
  serverKey: () => string | null;
  /** The host's copy of the lives' reaction histories: counts as they stood at the replay's moment (absent: now's). */
  reactionHistory?: Pick<ReactionHistoryStore, 'known' | 'ofLive' | 'revision'>;
  /** Whose reactions are "mine" on that server (the signed-in account), null when nobody is. */
  readerId?: (serverKey: string) => number | null;
  /** The full-text index of the cache: a live's enters it when its replay opens (absent: searches scan). */
  search?: Pick<ChatSearch, 'build' | 'ready' | 'search'>;
  /** How many recordings keep their index in memory (a 100k-message live is ~60 MB). */
  keep?: number;
};

export type ReplayOpened = {
  recording: RecordingView;
  /** Messages placed in this recording (sent before it started or after it ended are left out). */
  total: number;
  /** Where the renderer loads the video from: the host's `/recordings/` route (browser) or app:// (Electron). */
  video_path: string;
};

export function clockOf(recording: RecordingView): ReplayClock {
  return {
    startedAtMs: Date.parse(recording.started_at),
    endedAtMs: recording.ended_at ? Date.parse(recording.ended_at) : null,
    serverClockOffsetMs: recording.server_clock_offset_ms,
    pauses: recording.pauses,
  };
}

/**
 * Replays of saved lives: the recording's chat, read once from the cache into a ReplayIndex and kept current
 * by the cache's change feed (a moderator hiding a message mid-replay sees it at once). Works offline: it reads
 * only SQLite and the recording's row.
 */
export function createReplayService(options: ReplayServiceOptions) {
  const keep = options.keep ?? 2;
  const all = options.sqlite.prepare(
    `select * from messages where server_key = ? and live_id = ? and status = 'sent'`,
  );
  const busiestServer = options.sqlite.prepare(
    `select server_key from messages where live_id = ? group by server_key order by count(*) desc limit 1`,
  );
  type Opened = {
    serverKey: string;
    liveId: number;
    index: ReplayIndex;
    timeline: { revision: number; value: ReactionTimeline | null } | null;
  };
  const open = new Map<string, Opened>();

  const stopListening = options.changes.listen((change) => {
    for (const entry of open.values())
      if (entry.liveId === change.liveId && entry.serverKey === change.serverKey)
        entry.index.apply(change.messages);
  });

  function serverKeyFor(recording: RecordingView, liveId: number): string | null {
    // The server the live belongs to, kept with the recording; older recordings fall back to today's choice.
    if (recording.server_key) return recording.server_key;
    const current = options.serverKey();
    if (current) return current;
    // No server chosen (e.g. after a reset): the cache that holds this live's chat is still on disk.
    return (busiestServer.get(liveId) as { server_key: string } | undefined)?.server_key ?? null;
  }

  function indexOf(recordingId: string): {
    recording: RecordingView;
    index: ReplayIndex;
    opened: Opened | null;
  } {
    const recording = options.recordings.get(recordingId);
    const liveId = recording.live_id;
    const serverKey = liveId === null ? null : serverKeyFor(recording, liveId);
    const found = open.get(recordingId);
    if (found && found.serverKey === serverKey) {
      // Most recently used goes last: the first one is the one to drop.
      open.delete(recordingId);
      open.set(recordingId, found);
      return { recording, index: found.index, opened: found };
    }
    const rows = liveId === null || serverKey === null ? [] : (all.all(serverKey, liveId) as CachedRow[]);
    const index = new ReplayIndex(clockOf(recording), rows.map(toCachedMessage));
    if (liveId !== null && serverKey !== null) {
      const opened: Opened = { serverKey, liveId, index, timeline: null };
      open.set(recordingId, opened);
      while (open.size > keep) open.delete(open.keys().next().value!);
      return { recording, index, opened };
    }
    return { recording, index, opened: null };
  }

  /** The live's reactions on this recording's time line; null when the history was never copied. */
  function timelineOf(recording: RecordingView, opened: Opened): ReactionTimeline | null {
    const { reactionHistory } = options;
    if (!reactionHistory) return null;
    if (opened.timeline?.revision !== reactionHistory.revision) {
      const value = reactionHistory.known(opened.serverKey, opened.liveId)
        ? new ReactionTimeline(clockOf(recording), reactionHistory.ofLive(opened.serverKey, opened.liveId))
        : null;
      opened.timeline = { revision: reactionHistory.revision, value };
    }
    return opened.timeline.value;
  }

  /**
   * Each message with its reactions as they stood at `atMs` (★ issue 16), and their spans on the time line so
   * that the renderer moves the counts with the play head. A message the history does not know (copied before
   * it was reacted to, or never copied) keeps the counts it has now.
   */
  function asAt(recording: RecordingView, opened: Opened | null, atMs: number, found: ReplayWindow) {
    const timeline = opened ? timelineOf(recording, opened) : null;
    if (!opened || !timeline) return found;
    const readerId = options.readerId?.(opened.serverKey) ?? null;
    const messages = found.messages.map((message) => {
      if (message.server_id === null || !timeline.has(message.server_id)) return message;
      const spans = timeline.spans(message.server_id, readerId);
      return { ...message, reactions: reactionsAt(spans, atMs), reaction_spans: spans };
    });
    return { ...found, messages };
  }

  return {
    open(recordingId: string): ReplayOpened {
      const { recording, index, opened } = indexOf(recordingId);
      // Ready by the time someone searches, most often; until then a search scans.
      if (opened && options.search)
        options.search
          .build(opened.serverKey, opened.liveId)
          .catch((error) =>
            console.warn(`replay: indexing live ${opened.liveId} failed: ${(error as Error).message}`),
          );
      return { recording, total: index.size, video_path: `/recordings/${recording.id}.${recording.ext}` };
    },
    window(recordingId: string, atMs: number, before: number, after: number): ReplayWindow {
      const { recording, index, opened } = indexOf(recordingId);
      return asAt(recording, opened, atMs, index.window(atMs, before, after));
    },
    search(recordingId: string, query: string, limit: number): { hits: ReplayHit[]; total: number } {
      const { index, opened } = indexOf(recordingId);
      const fullText = options.search;
      if (opened && fullText?.ready(opened.serverKey, opened.liveId)) {
        const found = fullText.search(opened.serverKey, opened.liveId, query, {
          ...index.serverTimeRange(),
          limit,
        });
        if (found) return { hits: index.hitsOf(found.clientIds), total: found.total };
      }
      return index.search(query, limit);
    },
    /** The recording and every message placed in it, in video order (for the WebVTT export). */
    all(recordingId: string): { recording: RecordingView; messages: ReplayMessage[] } {
      const { recording, index } = indexOf(recordingId);
      return { recording, messages: index.all() };
    },
    close(): void {
      stopListening();
      open.clear();
    },
  };
}

export type ReplayService = ReturnType<typeof createReplayService>;
