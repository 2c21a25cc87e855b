import type { FanoutAdapter } from '../realtime/fanout';
import type { SessionCache } from './session-cache';

/**
 * Every node honours a sign-out made on any node at once: the logout's notice (fan-out REVOKED_CHANNEL) revokes
 * the tokens in this node's session cache. After a lost LISTEN connection the notices sent meanwhile are gone,
 * so the whole cache is forgotten: the next request of each token reads its session again.
 */
export function followRevocations(
  fanout: Pick<FanoutAdapter, 'onRevoked' | 'onResync'>,
  cache: SessionCache,
): () => void {
  const stops = [
    fanout.onRevoked((tokenHashes) => {
      for (const hash of tokenHashes) cache.revoke(hash);
    }),
    fanout.onResync(() => cache.clear()),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
