import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CachedMessage } from '../../../shared/wire';
import { capMessages, mergeMessages, withoutMessage } from '../chat/merge-messages';
import { useTRPC } from '../trpc';

/** How many messages the pane asks for at first and per step back in time. */
export const CHAT_PAGE = 500;

type ChatPage = { messages: CachedMessage[]; hasMore: boolean };

/**
 * The chat of one live, driven by the host's cache: a first page from `chat.list`, then every change pushed
 * by `chat.onChange` folded into the same query data (no refetch per message), older pages on demand.
 */
export function useChat(liveId: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { liveId, limit: CHAT_PAGE };
  const queryKey = trpc.chat.list.queryKey(input);
  const query = useQuery({ ...trpc.chat.list.queryOptions(input), staleTime: Number.POSITIVE_INFINITY });
  // Changes that arrive before the first page are kept and applied when it lands.
  const early = useRef<CachedMessage[]>([]);

  const apply = useCallback(
    (changed: CachedMessage[]) => {
      const current = queryClient.getQueryData<ChatPage>(queryKey);
      if (!current) {
        early.current.push(...changed);
        return;
      }
      const withEarly = early.current.length ? [...early.current.splice(0), ...changed] : changed;
      const capped = capMessages(mergeMessages(current.messages, withEarly));
      queryClient.setQueryData<ChatPage>(queryKey, {
        messages: capped.list,
        hasMore: current.hasMore || capped.trimmed,
      });
    },
    [queryClient, queryKey],
  );

  useSubscription(
    trpc.chat.onChange.subscriptionOptions(
      { liveId },
      {
        onData: (change) => apply(change.messages),
        // After a reconnect, the first page is refetched so that nothing missed while away stays missing.
        onStarted: () => {
          if (queryClient.getQueryData(queryKey)) void queryClient.invalidateQueries({ queryKey });
        },
      },
    ),
  );
  useEffect(() => {
    if (query.data && early.current.length) apply([]);
  }, [query.data, apply]);

  const [loadingOlder, setLoadingOlder] = useState(false);
  const loadOlder = useCallback(async () => {
    const current = queryClient.getQueryData<ChatPage>(queryKey);
    const oldest = current?.messages[0];
    if (!current?.hasMore || !oldest || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const older = await queryClient.fetchQuery(
        trpc.chat.list.queryOptions({ liveId, limit: CHAT_PAGE, before: oldest.client_id }),
      );
      const latest = queryClient.getQueryData<ChatPage>(queryKey) ?? current;
      queryClient.setQueryData<ChatPage>(queryKey, {
        messages: mergeMessages(older.messages, latest.messages),
        hasMore: older.hasMore,
      });
    } finally {
      setLoadingOlder(false);
    }
  }, [queryClient, queryKey, trpc, liveId, loadingOlder]);

  const send = useMutation(trpc.chat.send.mutationOptions({ onSuccess: (message) => apply([message]) }));
  const retry = useMutation(trpc.chat.retry.mutationOptions());
  // The host answers with the message as it now shows (the toggle applied): shown before the server has it.
  const react = useMutation(trpc.chat.react.mutationOptions({ onSuccess: (message) => apply([message]) }));
  const discard = useMutation(
    trpc.chat.discard.mutationOptions({
      onSuccess: (_result, variables) => {
        const current = queryClient.getQueryData<ChatPage>(queryKey);
        if (current)
          queryClient.setQueryData<ChatPage>(queryKey, {
            ...current,
            messages: withoutMessage(current.messages, variables.clientId),
          });
      },
    }),
  );

  return { query, loadOlder, loadingOlder, send, retry, discard, react };
}
