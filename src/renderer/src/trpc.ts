import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { HostRouter } from '../../host/routers/types';
import { hostLink } from './transport';

/** Server state comes from the host through tRPC + TanStack Query; UI state lives in zustand stores. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<HostRouter>();

export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } },
});

export const trpcClient = createTRPCClient<HostRouter>({ links: [hostLink()] });
