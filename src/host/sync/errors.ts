import { TRPCClientError } from '@trpc/client';
import { isRefusalCode, type RefusalCode } from '../../shared/errors';

/**
 * What a failed call to the chat server means for the outbox. A refusal (the server looked at the request and
 * said no: ban, slow mode, ended live, too long) is final for that message; anything else (no route, reset,
 * timeout, 5xx) says nothing about the message, which stays pending and is pushed again later.
 */
const REFUSAL_BY_STATUS: Record<number, RefusalCode> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
};

export type CallFailure =
  | { kind: 'refusal'; code: RefusalCode; message: string }
  | { kind: 'transient'; message: string };

export function classifyFailure(error: unknown): CallFailure {
  if (error instanceof TRPCClientError) {
    const data = error.data as { refusal?: unknown } | undefined;
    if (data && isRefusalCode(data.refusal))
      return { kind: 'refusal', code: data.refusal, message: error.message };
    // A 4xx without our code (e.g. tRPC's own input check) is still the server saying no, not an outage:
    // retrying it forever would block the outbox.
    const status = (error.data as { httpStatus?: unknown } | undefined)?.httpStatus;
    if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408) {
      return { kind: 'refusal', code: REFUSAL_BY_STATUS[status] ?? 'invalid_input', message: error.message };
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'transient', message };
}
