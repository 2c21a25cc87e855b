import webvtt from 'webvtt-parser';
import { describe, expect, it } from 'vitest';
import type { CachedMessage } from '../../shared/wire';
import type { RecordingView } from '../recording/recording-view';
import type { ReplayMessage } from '../replay/replay-index';
import { CUE_MS, chatCsv, chatJson, chatVtt, moderationLogCsv } from './chat-exports';
import { csvCell } from './csv';

const author = { id: 5, first_name: 'Zoé', last_name: "O'Neil <b>", profile_picture: null };
function message(n: number, overrides: Partial<ReplayMessage> = {}): ReplayMessage {
  return {
    client_id: `00000000-0000-4000-8000-00000000000${n}`,
    live_id: 3,
    server_id: n,
    content: `message ${n}`,
    created_at: `2026-01-01T10:00:0${n}.000Z`,
    author,
    status: 'sent',
    reason: null,
    hidden: false,
    deleted: false,
    held: false,
    version: n,
    type: 'text',
    reply_to: null,
    reply_to_client_id: null,
    reactions: [],
    video_ms: n * 1000 + 250,
    ...overrides,
  };
}

const recording: RecordingView = {
  id: '11111111-1111-4111-8111-111111111111',
  live_id: 3,
  server_key: 'http://127.0.0.1:4000',
  live_title: 'Le live',
  mime: 'video/webm',
  started_at: '2026-01-01T10:00:00.000Z',
  server_clock_offset_ms: 0,
  duration_ms: 8_000,
  bytes: 1,
  status: 'ready',
  ext: 'webm',
  ended_at: null,
  error: null,
  pauses: [],
  markers: [],
  gaps: [],
  finalize_progress: null,
  upload_state: 'local',
  uploaded_bytes: 0,
  upload_error: null,
  uploaded_at: null,
  upload_bytes_per_second: null,
};

describe('exports', () => {
  it('WebVTT: parses, one cue per visible message at its video time, text escaped, cut at the end', () => {
    const messages = [
      message(1, { content: 'a <script>x</script> & --> b\n\nsuite' }),
      message(2, { hidden: true }),
      message(3, { deleted: true, content: '' }),
      message(4, { held: true }),
      message(7),
    ];
    const file = chatVtt({ recording, messages, live: null });
    expect(file.mime).toBe('text/vtt');
    const parsed = new webvtt.WebVTTParser().parse(file.content, 'subtitles');
    expect(parsed.errors).toEqual([]);
    expect(parsed.cues.map((c) => [c.startTime, c.endTime])).toEqual([
      [1.25, 1.25 + CUE_MS / 1000],
      [7.25, 8],
    ]);
    expect(file.content).not.toContain('<script>');
    expect(file.content).toContain('&lt;script&gt;');
    expect(parsed.cues[0]!.text).toContain('suite');
  });

  it('CSV: quoted where needed, formulas defused, one row per message with its moderation state', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(-3)).toBe('-3');
    const file = chatCsv({
      liveId: 3,
      live: null,
      messages: [message(1), message(2, { hidden: true })] as CachedMessage[],
    });
    const lines = file.content.replace('\uFEFF', '').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,client_id,created_at,author_id,author,type,content,reply_to,reactions,status,hidden,deleted,held',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(',true,false,false');
  });

  it('replies and reactions: reply_to and counts in JSON and CSV, a reply cue begins with its parent', () => {
    const awa = { id: 8, first_name: 'Awa', last_name: 'Koné', profile_picture: null };
    const older = message(0, { author: awa, video_ms: -1 }); // before the recording: a parent only
    const reactions = [
      { emoji: '👍', count: 3, mine: true },
      { emoji: '🎉', count: 1, mine: false },
    ];
    const messages = [
      message(1, { reactions }),
      message(2, { reply_to: 1, reply_to_client_id: message(1).client_id }),
      message(3, { reply_to: 0, type: 'emoji', content: '🔥' }),
    ];
    const json = JSON.parse(chatJson({ liveId: 3, live: null, messages, log: [], local: [] }).content) as {
      version: number;
      messages: CachedMessage[];
    };
    expect(json.version).toBe(2);
    expect(json.messages.map((m) => [m.type, m.reply_to, m.reactions])).toEqual([
      ['text', null, reactions],
      ['text', 1, []],
      ['emoji', 0, []],
    ]);
    const csv = chatCsv({ liveId: 3, live: null, messages }).content.replace('\uFEFF', '').split('\r\n');
    expect(csv[1]).toContain(',text,message 1,,👍 3 · 🎉 1,sent,');
    expect(csv[2]).toContain(',text,message 2,1,,sent,');
    expect(csv[3]).toContain(',emoji,🔥,0,,sent,');
    const vtt = chatVtt({ recording, messages, live: null, parents: [older] });
    const cues = new webvtt.WebVTTParser().parse(vtt.content, 'subtitles').cues.map((c) => c.text);
    expect(cues[0]).not.toContain('↪');
    expect(cues[1]).toContain("↪ Zoé O'Neil &lt;b&gt; : message 2");
    expect(cues[2]).toContain('↪ Awa Koné : 🔥');
  });

  it('JSON keeps everything, moderation included; the log CSV names people and lists queued actions', () => {
    const json = JSON.parse(
      chatJson({ liveId: 3, live: null, messages: [message(1)], log: [], local: [] }).content,
    ) as { messages: CachedMessage[]; moderation: unknown };
    expect(json.messages[0]).toMatchObject({ hidden: false, deleted: false, held: false, server_id: 1 });
    expect(json.moderation).toEqual({ log: [], local: [] });
    const log = moderationLogCsv({
      liveId: 3,
      live: null,
      names: { 1: 'Awa Koné', 5: 'Zoé O’Neil' },
      log: [
        {
          id: 1,
          action: 'hide',
          actor_id: 1,
          target_user_id: 5,
          target_message_id: 9,
          reason: 'spam, encore',
          details: null,
          created_at: '2026-01-01T10:00:05.000Z',
        },
      ],
      local: [
        {
          seq: 1,
          live_id: 3,
          actor_id: 1,
          action: 'ban',
          message_id: null,
          message_client_id: null,
          user_id: 5,
          seconds: null,
          reason: null,
          client_action_id: null,
          status: 'pending',
          error: null,
          created_at: '2026-01-01T10:00:09.000Z',
          applied_at: null,
        },
      ],
    }).content;
    const lines = log.replace('\uFEFF', '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('2026-01-01T10:00:05.000Z,server,hide,1,Awa Koné,5,Zoé O’Neil,9,"spam, encore",');
    expect(lines[2]).toContain(',pending,ban,1,Awa Koné,5,');
  });
});
