import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { classifyFailure } from './errors';

describe('reconnect backoff', () => {
  it('doubles up to the cap, with jitter between half and all of the step', () => {
    const options = { baseMs: 100, capMs: 1000 };
    expect(backoffDelay(0, { ...options, random: () => 0 })).toBe(50);
    expect(backoffDelay(0, { ...options, random: () => 1 })).toBe(100);
    expect(backoffDelay(3, { ...options, random: () => 1 })).toBe(800);
    expect(backoffDelay(4, { ...options, random: () => 1 })).toBe(1000);
    expect(backoffDelay(500, { ...options, random: () => 0.5 })).toBe(750);
  });
});

describe('what a failed call means for the outbox', () => {
  const trpcError = (message: string, data: unknown) =>
    TRPCClientError.from({ error: { message, code: -32600, data } } as never);

  it('a refusal code from the server is final for that message', () => {
    expect(classifyFailure(trpcError('Slow mode is on', { refusal: 'slow_mode', httpStatus: 429 }))).toEqual({
      kind: 'refusal',
      code: 'slow_mode',
      message: 'Slow mode is on',
    });
  });

  it('a 4xx without our code is still a refusal; 5xx and network failures are transient', () => {
    expect(classifyFailure(trpcError('bad', { httpStatus: 400 }))).toMatchObject({
      kind: 'refusal',
      code: 'invalid_input',
    });
    expect(classifyFailure(trpcError('who?', { httpStatus: 401 }))).toMatchObject({
      code: 'unauthenticated',
    });
    expect(classifyFailure(trpcError('boom', { httpStatus: 500 }))).toMatchObject({ kind: 'transient' });
    expect(classifyFailure(new TypeError('fetch failed'))).toEqual({
      kind: 'transient',
      message: 'fetch failed',
    });
  });
});
