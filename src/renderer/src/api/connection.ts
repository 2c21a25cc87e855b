import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../trpc';

/** The link to the chat server as the host sees it; pushed by `connection.onStatus`, so the badge is live. */
export function useConnectionStatus() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.connection.status.queryOptions());
  useSubscription(
    trpc.connection.onStatus.subscriptionOptions(undefined, {
      onData: (status) => queryClient.setQueryData(trpc.connection.status.queryKey(), status),
    }),
  );
  return query;
}

export function useChooseServer() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.connection.choose.mutationOptions({
      // Another server means another account and other lives: refetch everything.
      onSuccess: () => queryClient.invalidateQueries(),
    }),
  );
}
