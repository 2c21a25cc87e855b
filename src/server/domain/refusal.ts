import type { RefusalCode } from '../../shared/errors';

export type RefusalDetails = {
  /** Seconds until the caller may try again (slow mode, rate limit, timeout): REST sends it as Retry-After. */
  retryAfterSeconds?: number;
  /** Field errors, DRF-style: `{ content: ['This field may not be blank.'] }`. */
  errors?: Record<string, string[]>;
};

/**
 * A request the server refuses on purpose (bad input, no right, limit reached). Routers turn it into a tRPC
 * error carrying `refusal` or a REST 4xx; anything that is not a Refusal is a server fault (5xx, retried).
 */
export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly details: RefusalDetails = {},
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

export function refuse(code: RefusalCode, message: string, details?: RefusalDetails): never {
  throw new Refusal(code, message, details);
}

/** The backend's own words for an unknown live: its web client shows them as they are. */
export const LIVE_NOT_FOUND = 'Live non trouvé';
