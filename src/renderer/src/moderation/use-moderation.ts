import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useMemo } from 'react';
import { useTRPC } from '../trpc';

/**
 * This studio's moderation of one live: the actions taken here (queued, applied, refused) kept fresh by the
 * host's change feed, and `act` to take one. The chat rows themselves come from the chat cache (useChat):
 * once the server applies an action, the new message version reaches them like any other change.
 */
export function useModeration(liveId: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const local = useQuery(trpc.moderation.local.queryOptions({ liveId }));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.moderation.local.queryKey({ liveId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.moderation.log.queryKey({ liveId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.moderation.held.queryKey({ liveId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.moderation.userCard.pathKey() }),
    ]);
  useSubscription(trpc.moderation.onChange.subscriptionOptions({ liveId }, { onData: () => void refresh() }));
  const act = useMutation(trpc.moderation.act.mutationOptions({ onSettled: () => refresh() }));

  /** The latest action taken here on each message that is not applied yet (shown on the row). */
  const pendingByMessage = useMemo(() => {
    const map = new Map<string, { action: string; status: string; error: string | null }>();
    for (const entry of local.data ?? []) {
      if (!entry.message_client_id || map.has(entry.message_client_id)) continue;
      if (entry.status !== 'applied') map.set(entry.message_client_id, entry);
    }
    return map;
  }, [local.data]);

  return { local, act, pendingByMessage, refresh };
}
