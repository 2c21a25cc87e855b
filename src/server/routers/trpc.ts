import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import type { RefusalCode } from '../../shared/errors';
import { requireActor } from '../domain/access';
import { Refusal } from '../domain/refusal';
import type { ChatContext } from './context';

const TRPC_CODE_BY_REFUSAL: Record<RefusalCode, TRPC_ERROR_CODE_KEY> = {
  invalid_input: 'BAD_REQUEST',
  unauthenticated: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  banned: 'FORBIDDEN',
  timed_out: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  live_not_open: 'PRECONDITION_FAILED',
  slow_mode: 'TOO_MANY_REQUESTS',
  rate_limited: 'TOO_MANY_REQUESTS',
  conflict: 'CONFLICT',
  too_large: 'PAYLOAD_TOO_LARGE',
};

/** A domain refusal as a tRPC error of the matching class; anything else is left alone (a server fault). */
export function toTrpcError(error: unknown): unknown {
  if (error instanceof Refusal)
    return new TRPCError({ code: TRPC_CODE_BY_REFUSAL[error.code], message: error.message, cause: error });
  return error;
}

function describeZodError(error: ZodError) {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || 'non_field_errors';
    errors[key] = [...(errors[key] ?? []), issue.message];
  }
  const [first] = error.issues;
  const message = first ? `${first.path.join('.') || 'input'}: ${first.message}` : 'Invalid input.';
  return { errors, message };
}

const t = initTRPC.context<ChatContext>().create({
  // Stack traces stay on the server.
  isDev: false,
  errorFormatter({ shape, error }) {
    const refusal = error.cause instanceof Refusal ? error.cause : null;
    const zod = error.cause instanceof ZodError ? describeZodError(error.cause) : null;
    const code: RefusalCode | null =
      refusal?.code ??
      (zod || error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR' ? 'invalid_input' : null) ??
      (error.code === 'UNAUTHORIZED' ? 'unauthenticated' : null);
    return {
      ...shape,
      message: zod?.message ?? shape.message,
      data: {
        ...shape.data,
        /** Set when the server refused on purpose: the sender should not retry as is (errors.ts). */
        refusal: code,
        retryAfterSeconds: refusal?.details.retryAfterSeconds ?? null,
        errors: zod?.errors ?? refusal?.details.errors ?? null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const refusals = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof Refusal) throw toTrpcError(result.error.cause);
  return result;
});

export const publicProcedure = t.procedure.use(refusals);

/**
 * For a procedure that never reaches the domain, so has nothing to refuse (the server clock): it skips the
 * refusal middleware, a measurable share of a trivial call (bench/server/trpc-query.ts). Anyone may call it.
 */
export const bareProcedure = t.procedure;

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  try {
    return next({ ctx: { ...ctx, actor: requireActor(ctx.actor) } });
  } catch (error) {
    throw toTrpcError(error);
  }
});
