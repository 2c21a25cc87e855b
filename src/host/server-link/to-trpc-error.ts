import { TRPCError } from '@trpc/server';
import type { RefusalCode } from '../../shared/errors';
import { classifyFailure } from '../sync/errors';

const CODE_BY_REFUSAL: Record<RefusalCode, TRPCError['code']> = {
  invalid_input: 'BAD_REQUEST',
  unauthenticated: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  banned: 'FORBIDDEN',
  timed_out: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  live_not_open: 'BAD_REQUEST',
  slow_mode: 'TOO_MANY_REQUESTS',
  rate_limited: 'TOO_MANY_REQUESTS',
  conflict: 'CONFLICT',
  too_large: 'PAYLOAD_TOO_LARGE',
};

/**
 * Passes a chat server's answer on to the renderer: its refusal keeps the server's words and a matching code;
 * a network failure says the server cannot be reached (the renderer then shows the cached state).
 */
export function toTrpcError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  const failure = classifyFailure(error);
  if (failure.kind === 'refusal') {
    return new TRPCError({ code: CODE_BY_REFUSAL[failure.code], message: failure.message, cause: error });
  }
  return new TRPCError({
    code: 'SERVICE_UNAVAILABLE',
    message: `The chat server cannot be reached (${failure.message}).`,
    cause: error,
  });
}

export function isUnreachable(error: unknown): boolean {
  return !(error instanceof TRPCError) && classifyFailure(error).kind === 'transient';
}
