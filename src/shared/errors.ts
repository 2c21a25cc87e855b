/**
 * Error codes shared across the wire. The REST API maps them to HTTP statuses (design §4); tRPC carries
 * them in `cause` so that the host can tell a refusal (the message becomes `rejected`) from a network failure.
 */
export const REFUSAL_CODES = [
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'banned',
  'timed_out',
  'not_found',
  'live_not_open',
  'slow_mode',
  'rate_limited',
  'conflict',
  'too_large',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export const HTTP_STATUS_BY_CODE: Record<RefusalCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  banned: 403,
  timed_out: 403,
  not_found: 404,
  live_not_open: 400,
  slow_mode: 429,
  rate_limited: 429,
  conflict: 409,
  too_large: 413,
};

export function isRefusalCode(value: unknown): value is RefusalCode {
  return typeof value === 'string' && (REFUSAL_CODES as readonly string[]).includes(value);
}
