import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../trpc';

export function useCurrentAccount() {
  const trpc = useTRPC();
  return useQuery(trpc.account.current.queryOptions());
}

export function useAccountActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const signedIn = async () => {
    await queryClient.invalidateQueries();
  };
  const login = useMutation(trpc.account.login.mutationOptions({ onSuccess: signedIn }));
  const register = useMutation(trpc.account.register.mutationOptions({ onSuccess: signedIn }));
  const logout = useMutation(
    trpc.account.logout.mutationOptions({
      onSuccess: async () => {
        queryClient.setQueryData(trpc.account.current.queryKey(), null);
        await queryClient.invalidateQueries();
      },
    }),
  );
  return { login, register, logout };
}
