import { RATE_LIMIT_PRIVILEGED, RATE_LIMIT_VIEWER, RATE_LIMIT_WINDOW_SECONDS } from '../../shared/limits';
import type { ServerDatabase } from '../db/client';
import type { Executor } from '../db/sql';
import type { FanoutAdapter } from '../realtime/fanout';
import type { RecordingMedia } from '../recordings/media';

export type ChatLimits = {
  rateWindowSeconds: number;
  /** Messages per window for viewers, and for the host and moderators (Twitch's 20 / 100 per 30 s). */
  rateViewer: number;
  ratePrivileged: number;
  /** Lifetime of an access token (simplejwt's ACCESS_TOKEN_LIFETIME) and of the refresh token that renews it. */
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  /**
   * Lives whose send-path caches (blocked-terms matcher, fast-path hint) one process keeps, least recently
   * written-to forgotten first (lru.ts): bounded memory however many lives a long-running server sees.
   */
  cachedLives: number;
};

export const DEFAULT_LIMITS: ChatLimits = {
  rateWindowSeconds: RATE_LIMIT_WINDOW_SECONDS,
  rateViewer: RATE_LIMIT_VIEWER,
  ratePrivileged: RATE_LIMIT_PRIVILEGED,
  accessTokenTtlMs: 60 * 60 * 1000,
  refreshTokenTtlMs: 7 * 24 * 3600 * 1000,
  cachedLives: 1024,
};

/** Told the outcome of every send (production metrics: accepted, refused by code). */
export type DomainObserver = {
  sendOutcome(outcome: { accepted: true } | { accepted: false; reason: string }): void;
};

/** What every domain function needs: the database, the fan-out to announce changes, and the limits. */
export type DomainEnv = {
  db: Executor;
  kind: ServerDatabase['kind'];
  /** `announce` absent (tools, some tests): sends notify inside their transaction instead. */
  fanout: Pick<FanoutAdapter, 'publish' | 'announce'>;
  limits: ChatLimits;
  observer?: DomainObserver;
  /** Where recordings' bytes go (the chat server sets it; tools that only chat leave it out). */
  media?: RecordingMedia;
};

/** The signed-in caller, as the auth layer resolved it from the token. */
export type Actor = {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  profile_picture: string | null;
};

export function createDomainEnv(
  database: ServerDatabase,
  fanout: DomainEnv['fanout'],
  limits: Partial<ChatLimits> = {},
): DomainEnv {
  return { db: database.db, kind: database.kind, fanout, limits: { ...DEFAULT_LIMITS, ...limits } };
}
