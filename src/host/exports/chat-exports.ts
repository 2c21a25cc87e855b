import type { CachedMessage } from '../../shared/wire';
import type { CachedLive } from '../db/lives-store';
import type { ModerationLogEntry } from '../moderation/moderation-api';
import type { ModerationEntry } from '../moderation/moderation-outbox';
import type { RecordingView } from '../recording/recording-view';
import type { ReplayMessage } from '../replay/replay-index';
import { toCsv } from './csv';

export type ExportFile = { filename: string; mime: string; content: string };

const authorName = (m: CachedMessage) => `${m.author.first_name} ${m.author.last_name}`.trim();
const stamp = (date: Date) => date.toISOString().slice(0, 19).replace(/[:T]/g, '-');
const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 40) || 'live';

export function exportBaseName(liveId: number, live: CachedLive | null, now = new Date()): string {
  return `live-${liveId}-${slug(live?.title ?? '')}-${stamp(now)}`;
}

/** Everything this host knows of the live's chat, moderation state included: the archive format. */
export function chatJson(input: {
  liveId: number;
  live: CachedLive | null;
  messages: CachedMessage[];
  log: ModerationLogEntry[];
  local: ModerationEntry[];
  now?: Date;
}): ExportFile {
  const now = input.now ?? new Date();
  const body = {
    format: 'communiconnect-studio/chat-export',
    // 2: messages carry type, reply_to (+ reply_to_client_id) and reactions (issue 16).
    version: 2,
    exported_at: now.toISOString(),
    live: input.live ?? { id: input.liveId },
    messages: input.messages,
    moderation: { log: input.log, local: input.local },
  };
  return {
    filename: `${exportBaseName(input.liveId, input.live, now)}.json`,
    mime: 'application/json',
    content: `${JSON.stringify(body, null, 2)}\n`,
  };
}

/** A message's standing reactions in one cell: "👍 3 · 🎉 1" (a spreadsheet reads it as text). */
const reactionsCell = (m: CachedMessage) => m.reactions.map((r) => `${r.emoji} ${r.count}`).join(' · ');

/**
 * One row per message, oldest first; hidden/deleted/held as columns (deleted text is already gone); a reply
 * names its parent's server id.
 */
export function chatCsv(input: {
  liveId: number;
  live: CachedLive | null;
  messages: CachedMessage[];
  now?: Date;
}) {
  const rows = input.messages.map((m) => [
    m.server_id,
    m.client_id,
    m.created_at,
    m.author.id,
    authorName(m),
    m.type,
    m.content,
    m.reply_to,
    reactionsCell(m),
    m.status,
    m.hidden,
    m.deleted,
    m.held,
  ]);
  return {
    filename: `${exportBaseName(input.liveId, input.live, input.now)}.csv`,
    mime: 'text/csv',
    content: toCsv(
      [
        'id',
        'client_id',
        'created_at',
        'author_id',
        'author',
        'type',
        'content',
        'reply_to',
        'reactions',
        'status',
        'hidden',
        'deleted',
        'held',
      ],
      rows,
    ),
  } satisfies ExportFile;
}

/** How long a chat cue stays on screen, unless the video ends first. */
export const CUE_MS = 5_000;

function vttTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(millis, 3)}`;
}

/** Cue text is markup in WebVTT: escape it, and no blank line may end the cue early. */
function vttText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/-->/g, '--&gt;')
    .replace(/\r?\n\s*\r?\n/g, '\n')
    .replace(/\r/g, '');
}

/**
 * The chat as subtitles: one cue per visible message at its moment in the recording (the replay's mapping,
 * pauses and clock offset included), shown CUE_MS. Hidden, deleted and held messages are left out: a subtitle
 * file travels without its moderation state. A reply's cue begins "↪ {parent's author}": `parents` holds the
 * live's other messages (a parent may be older than the recording).
 */
export function chatVtt(input: {
  recording: RecordingView;
  messages: ReplayMessage[];
  live: CachedLive | null;
  parents?: readonly CachedMessage[];
}) {
  const end = input.recording.duration_ms ?? Number.POSITIVE_INFINITY;
  const nameOf = new Map<number, string>();
  for (const m of [...(input.parents ?? []), ...input.messages])
    if (m.server_id !== null) nameOf.set(m.server_id, authorName(m));
  const cues: string[] = [];
  for (const m of input.messages) {
    if (m.hidden || m.deleted || m.held || m.content.length === 0) continue;
    const start = Math.min(m.video_ms, end);
    const stop = Math.max(start + 1, Math.min(start + CUE_MS, end));
    const parent = m.reply_to === null ? null : (nameOf.get(m.reply_to) ?? '…');
    const text = parent === null ? m.content : `↪ ${parent} : ${m.content}`;
    cues.push(
      `${m.server_id}\n${vttTime(start)} --> ${vttTime(stop)}\n<v ${vttText(authorName(m)).replace(/>/g, '')}>${vttText(text)}`,
    );
  }
  const title = input.live?.title ?? input.recording.live_title ?? 'CommuniConnect';
  return {
    filename: `${exportBaseName(input.recording.live_id ?? 0, input.live)}.vtt`,
    mime: 'text/vtt',
    content: `WEBVTT - ${vttText(title).replace(/\n/g, ' ').replace(/-->/g, '')}\n\n${cues.join('\n\n')}\n`,
  } satisfies ExportFile;
}

/** The moderation log: the server's entries, then this studio's actions not applied yet (or refused). */
export function moderationLogCsv(input: {
  liveId: number;
  live: CachedLive | null;
  log: ModerationLogEntry[];
  local: ModerationEntry[];
  names: Record<number, string>;
  now?: Date;
}) {
  const name = (id: number | null) => (id === null ? '' : (input.names[id] ?? `#${id}`));
  const rows: unknown[][] = input.log.map((e) => [
    e.created_at,
    'server',
    e.action,
    e.actor_id,
    name(e.actor_id),
    e.target_user_id,
    name(e.target_user_id),
    e.target_message_id,
    e.reason,
    e.details ? JSON.stringify(e.details) : '',
  ]);
  for (const e of input.local) {
    if (e.status === 'applied') continue; // already in the server's log
    rows.push([
      e.created_at,
      e.status === 'pending' ? 'pending' : `rejected: ${e.error ?? ''}`,
      e.action,
      e.actor_id,
      name(e.actor_id),
      e.user_id,
      name(e.user_id),
      e.message_id,
      e.reason,
      e.seconds === null ? '' : JSON.stringify({ seconds: e.seconds }),
    ]);
  }
  rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return {
    filename: `${exportBaseName(input.liveId, input.live, input.now)}-moderation.csv`,
    mime: 'text/csv',
    content: toCsv(
      [
        'created_at',
        'source',
        'action',
        'actor_id',
        'actor',
        'target_user_id',
        'target_user',
        'target_message_id',
        'reason',
        'details',
      ],
      rows,
    ),
  } satisfies ExportFile;
}
