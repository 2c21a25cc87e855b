import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../trpc';

/**
 * This computer's recordings, kept current by the host's change feed (finalization, upload progress): the
 * studio's recorder list, the Library and Modération's video read them through this one query.
 */
export function useRecordings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.recording.list.queryOptions());
  useSubscription(
    trpc.recording.onChange.subscriptionOptions(undefined, {
      onData: () => void queryClient.invalidateQueries({ queryKey: trpc.recording.list.queryKey() }),
    }),
  );
  return list;
}
