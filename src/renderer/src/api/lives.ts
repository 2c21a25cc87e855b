import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../trpc';

export function useLives() {
  const trpc = useTRPC();
  return useQuery(trpc.lives.list.queryOptions());
}

export function useLive(liveId: number | null) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.lives.get.queryOptions({ liveId: liveId ?? 0 }),
    enabled: liveId !== null,
  });
}

export function useLiveActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const changed = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.lives.pathKey() });
  };
  const create = useMutation(trpc.lives.create.mutationOptions({ onSuccess: changed }));
  const start = useMutation(trpc.lives.start.mutationOptions({ onSuccess: changed }));
  const end = useMutation(trpc.lives.end.mutationOptions({ onSuccess: changed }));
  return { create, start, end };
}
