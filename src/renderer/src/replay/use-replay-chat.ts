import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { reactionsAt } from '../../../shared/reaction-spans';
import { useTRPC } from '../trpc';

/** How many messages around the play head are loaded at once; a new window is asked for when it runs out. */
const SPAN = 200;

/**
 * The chat at the video's current time. The host returns a window around an anchor; while the play head stays
 * inside what was loaded, showing "everything up to now" is a filter, with no call. A seek outside (or playing
 * past the end of the window) moves the anchor, and one query brings the new window.
 */
export function useReplayChat(recordingId: string, currentMs: number) {
  const trpc = useTRPC();
  const [anchorMs, setAnchorMs] = useState(0);
  const window = useQuery({
    ...trpc.replay.window.queryOptions({ recordingId, atMs: anchorMs, before: SPAN, after: SPAN }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const data = window.data;

  useEffect(() => {
    if (!data || window.isFetching) return;
    const first = data.messages[0];
    const last = data.messages.at(-1);
    const beforeLoaded = data.hasBefore && first !== undefined && currentMs < first.video_ms;
    // Past the last loaded message while more exist; the anchor also moves when far enough ahead.
    const afterLoaded = data.hasAfter && last !== undefined && currentMs >= last.video_ms;
    if (beforeLoaded || afterLoaded) setAnchorMs(currentMs);
  }, [data, currentMs, window.isFetching]);

  // Reactions move with the play head too: counted at `currentMs` from their spans, where the host knows them.
  const visible = useMemo(
    () =>
      (data?.messages ?? [])
        .filter((m) => m.video_ms <= currentMs)
        .map((m) => (m.reaction_spans ? { ...m, reactions: reactionsAt(m.reaction_spans, currentMs) } : m)),
    [data, currentMs],
  );
  return { visible, total: data?.total ?? 0, loading: window.isLoading };
}
