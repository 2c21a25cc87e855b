import { describe, expect, it } from 'vitest';
import type { CachedMessage } from '../../shared/wire';
import { messageVideoMs, type ReplayClock } from '../../shared/replay-clock';
import { ReplayIndex } from './replay-index';

const START = Date.parse('2026-01-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

let nextId = 1;
function message(serverMs: number, content: string, overrides: Partial<CachedMessage> = {}): CachedMessage {
  const id = nextId++;
  return {
    client_id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    live_id: 7,
    server_id: id,
    content,
    created_at: iso(serverMs),
    author: { id: 3, first_name: 'Élodie', last_name: 'Martin', profile_picture: null },
    status: 'sent',
    reason: null,
    hidden: false,
    deleted: false,
    held: false,
    version: id,
    type: 'text',
    reply_to: null,
    reply_to_client_id: null,
    reactions: [],
    ...overrides,
  };
}

describe('replay clock', () => {
  const clock: ReplayClock = {
    startedAtMs: START,
    endedAtMs: START + 60_000,
    serverClockOffsetMs: 2_000, // the server runs 2 s ahead of us
    pauses: [{ start: START + 10_000, end: START + 20_000 }],
  };

  it('corrects the server clock by the measured offset', () => {
    expect(messageVideoMs(iso(START + 2_000 + 5_000), clock)).toBe(5_000);
  });

  it('puts chat sent during a pause at the pause point, and takes the pause off what follows', () => {
    expect(messageVideoMs(iso(START + 2_000 + 15_000), clock)).toBe(10_000);
    expect(messageVideoMs(iso(START + 2_000 + 25_000), clock)).toBe(15_000);
  });

  it('leaves out what was sent before the start or after the end', () => {
    expect(messageVideoMs(iso(START + 2_000 - 1), clock)).toBeNull();
    expect(messageVideoMs(iso(START + 2_000 + 60_001), clock)).toBeNull();
    expect(messageVideoMs('not a date', clock)).toBeNull();
  });

  it('an unfinished recording (no end) keeps everything after its start', () => {
    expect(messageVideoMs(iso(START + 3_600_000), { ...clock, endedAtMs: null, pauses: [] })).toBe(3_598_000);
  });
});

describe('replay index', () => {
  const clock: ReplayClock = { startedAtMs: START, endedAtMs: null, serverClockOffsetMs: 0, pauses: [] };

  it('a window at t holds exactly the messages at or before t, then those after', () => {
    const index = new ReplayIndex(clock, [
      message(START + 3_000, 'trois'),
      message(START + 1_000, 'un'),
      message(START + 2_000, 'deux'),
      message(START + 5_000, 'cinq'),
    ]);
    expect(index.window(0, 10, 0).messages).toEqual([]);
    const at = index.window(2_500, 10, 1);
    expect(at.position).toBe(2);
    expect(at.messages.map((m) => m.content)).toEqual(['un', 'deux', 'trois']);
    expect(at.messages.map((m) => m.video_ms)).toEqual([1_000, 2_000, 3_000]);
    expect(at.hasAfter).toBe(true);
    expect(index.window(2_000, 1, 0)).toMatchObject({ position: 2, hasBefore: true, total: 4 });
  });

  it('leaves out pending, rejected and out-of-recording messages', () => {
    const index = new ReplayIndex(clock, [
      message(START + 1_000, 'ok'),
      message(START + 1_000, 'draft', { status: 'pending', server_id: null }),
      message(START + 1_000, 'refused', { status: 'rejected', server_id: null }),
      message(START - 1_000, 'before'),
    ]);
    expect(index.size).toBe(1);
  });

  it('searches text and author, ignoring case and accents, skipping deleted messages', () => {
    const index = new ReplayIndex(clock, [
      message(START + 1_000, 'Très BELLE vidéo'),
      message(START + 2_000, 'belle soirée', { deleted: true, content: '' }),
      message(START + 3_000, 'bonjour', {
        author: { id: 4, first_name: 'Ana', last_name: 'Belleville', profile_picture: null },
      }),
    ]);
    const result = index.search('belle', 10);
    expect(result.total).toBe(2);
    expect(result.hits.map((h) => h.video_ms)).toEqual([1_000, 3_000]);
    expect(index.search('VIDEO', 10).total).toBe(1);
    expect(index.search('elodie', 1)).toMatchObject({ total: 1, hits: [{ video_ms: 1_000 }] });
    expect(index.search('e', 1)).toMatchObject({ total: 2, hits: [{ video_ms: 1_000 }] });
    expect(index.search('   ', 10).total).toBe(0);
  });

  it('applies changes: a hidden message is replaced in place, a late one inserted in order', () => {
    const first = message(START + 1_000, 'un');
    const index = new ReplayIndex(clock, [first, message(START + 3_000, 'trois')]);
    index.apply([{ ...first, hidden: true, version: 99 }, message(START + 2_000, 'deux')]);
    const { messages } = index.window(10_000, 10, 0);
    expect(messages.map((m) => [m.content, m.hidden])).toEqual([
      ['un', true],
      ['deux', false],
      ['trois', false],
    ]);
    expect(index.videoMsOf(first.client_id)).toBe(1_000);
  });

  it('keeps 100k messages seekable: random windows agree with a linear scan', () => {
    const messages = Array.from({ length: 100_000 }, (_, i) => message(START + Math.floor(i * 36), `m${i}`));
    const index = new ReplayIndex(clock, messages);
    const times = messages.map((m) => Date.parse(m.created_at) - START);
    for (let probe = 0; probe < 50; probe++) {
      const at = Math.floor(Math.random() * 3_700_000);
      const expected = times.filter((t) => t <= at).length;
      expect(index.window(at, 5, 5).position).toBe(expected);
    }
  });
});
