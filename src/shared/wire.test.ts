import { describe, expect, it } from 'vitest';
import { MESSAGE_MAX_LENGTH } from './limits';
import { contentSchema, liveSchema, messageSchema } from './wire';

describe('contentSchema', () => {
  it('trims and strips control characters before checking', () => {
    expect(contentSchema.parse('  hello\u0007 world \n')).toBe('hello world');
  });

  it('refuses empty, whitespace and non-string content', () => {
    for (const bad of ['', '   \n\t ', '\u0000\u0001', 42, { text: 'hi' }, null]) {
      expect(contentSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it(`accepts ${MESSAGE_MAX_LENGTH} characters and refuses one more`, () => {
    expect(contentSchema.safeParse('é'.repeat(MESSAGE_MAX_LENGTH)).success).toBe(true);
    const tooLong = contentSchema.safeParse('a'.repeat(MESSAGE_MAX_LENGTH + 1));
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0]?.message).toContain(`${MESSAGE_MAX_LENGTH}`);
  });

  it('keeps HTML as text: escaping is the renderer’s job', () => {
    expect(contentSchema.parse('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('message and live schemas', () => {
  const author = { id: 1, first_name: 'Mariam', last_name: 'Diallo', profile_picture: null };

  it('accepts a well-formed message and refuses a bad client_id', () => {
    const message = {
      id: 7,
      content: 'Bonjour',
      timestamp: '2026-11-28T10:00:00.000Z',
      author,
      post_id: 3,
      client_id: '6f1c1f55-2a4e-4f61-9d0b-9f4f1d1c1a11',
      version: 12,
      hidden: false,
      deleted: false,
      held: false,
    };
    // A server before issue 16 sends no type, reply_to or reactions: they default.
    expect(messageSchema.parse(message)).toEqual({ ...message, type: 'text', reply_to: null, reactions: [] });
    const reply = {
      ...message,
      type: 'emoji',
      reply_to: 3,
      reactions: [{ emoji: '👍', count: 2, mine: true }],
    };
    expect(messageSchema.parse(reply)).toEqual(reply);
    expect(messageSchema.safeParse({ ...message, client_id: 'nope' }).success).toBe(false);
    expect(messageSchema.safeParse({ ...message, type: 'reaction' }).success).toBe(false);
  });

  it('refuses an unknown live status', () => {
    const live = {
      id: 3,
      title: 'Live',
      description: '',
      status: 'paused',
      started_at: null,
      ended_at: null,
      slow_mode_seconds: 0,
      host: author,
    };
    expect(liveSchema.safeParse(live).success).toBe(false);
    expect(liveSchema.safeParse({ ...live, status: 'live' }).success).toBe(true);
  });
});
