import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CachedMessage } from '../../../shared/wire';
import { MessageRow } from './MessageRow';

type Props = {
  messages: readonly CachedMessage[];
  selfId: number | null;
  onRetry(clientId: string): void;
  onDiscard(clientId: string): void;
  /** Called when the user scrolls to the top and older messages exist. */
  onReachTop?: (() => void) | undefined;
  loadingOlder?: boolean;
  /** Where the chat takes replies and reactions (issue 16); absent, the rows only show them. */
  onReply?: ((message: CachedMessage) => void) | undefined;
  onReact?: ((clientId: string, emoji: string) => void) | undefined;
};

/** How many older pages a click on a quote may load while looking for its parent. */
const MAX_PAGES_FOR_PARENT = 20;

/** The answered message of a reply, by its server id or (answered here, still pending) its client id. */
function parentFinder(messages: readonly CachedMessage[]) {
  const byServerId = new Map<number, CachedMessage>();
  const byClientId = new Map<string, CachedMessage>();
  for (const message of messages) {
    if (message.server_id !== null) byServerId.set(message.server_id, message);
    byClientId.set(message.client_id, message);
  }
  return (reply: CachedMessage): CachedMessage | undefined =>
    (reply.reply_to !== null ? byServerId.get(reply.reply_to) : undefined) ??
    (reply.reply_to_client_id !== null ? byClientId.get(reply.reply_to_client_id) : undefined);
}

/** A one-line message; rows are measured once rendered, this only places rows not yet seen. */
const ESTIMATED_ROW_PX = 56;
/** How close to the bottom still counts as "following the chat". */
const STICK_THRESHOLD_PX = 48;

/**
 * The chat pane's list: an ARIA log, virtualized so that 10,000 messages cost what ~20 visible rows cost.
 * It follows new messages while the user is at the bottom; scrolled up, it counts them in an indicator instead.
 */
export function MessageList({
  messages,
  selfId,
  onRetry,
  onDiscard,
  onReachTop,
  loadingOlder,
  onReply,
  onReact,
}: Props) {
  const { t, i18n } = useTranslation();
  // Rows are memoised: they get callbacks that never change, which call the latest ones the screen passed
  // (the screen re-renders on every new message; fresh arrows would re-render every visible row with it).
  const callbacks = useRef({ onRetry, onDiscard, onReply, onReact, onReachTop });
  callbacks.current = { onRetry, onDiscard, onReply, onReact, onReachTop };
  const retry = useCallback((clientId: string) => callbacks.current.onRetry(clientId), []);
  const discard = useCallback((clientId: string) => callbacks.current.onDiscard(clientId), []);
  const reply = useCallback((message: CachedMessage) => callbacks.current.onReply?.(message), []);
  const react = useCallback(
    (clientId: string, emoji: string) => callbacks.current.onReact?.(clientId, emoji),
    [],
  );
  const findParent = useMemo(() => parentFinder(messages), [messages]);
  /** A quote was chosen whose parent is older than what is loaded: the reply, and pages loaded so far. */
  const [seeking, setSeeking] = useState<{ reply: CachedMessage; pages: number } | null>(null);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottomRef = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const lastKeyRef = useRef<string | undefined>(undefined);
  const firstKeyRef = useRef<string | undefined>(undefined);

  // Stable until the list changes: the virtualizer recomputes every row's position (all 10,000) whenever
  // getItemKey changes identity, and it re-renders on every scroll event.
  const getItemKey = useCallback((index: number) => messages[index]?.client_id ?? index, [messages]);
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    // Rows beyond the visible ones, each side. A fast fling replaces every row each frame, so each extra row
    // is mounted, laid out and measured per frame; 6 still covers a wheel notch (~2 rows) several times over.
    overscan: 6,
    getItemKey,
  });

  const innerRef = useRef<HTMLDivElement>(null);

  const snapToBottom = useCallback(() => {
    const element = scrollRef.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, []);

  const scrollToBottom = useCallback(() => {
    atBottomRef.current = true;
    snapToBottom();
    setUnseen(0);
  }, [snapToBottom]);

  // New messages at the end: follow them if the user is at the bottom, or count them if they scrolled up.
  // Older messages put in front (scrolling up): keep what the user was reading where it was.
  useLayoutEffect(() => {
    const last = messages[messages.length - 1];
    const first = messages[0];
    const previousLast = lastKeyRef.current;
    const previousFirst = firstKeyRef.current;
    lastKeyRef.current = last?.client_id;
    firstKeyRef.current = first?.client_id;
    if (!last) return;
    if (previousLast === last.client_id) {
      if (previousFirst !== undefined && previousFirst !== first?.client_id) {
        const prepended = messages.findIndex((m) => m.client_id === previousFirst);
        const element = scrollRef.current;
        if (prepended > 0 && element && !atBottomRef.current)
          element.scrollTop += prepended * ESTIMATED_ROW_PX;
      }
      return;
    }
    if (atBottomRef.current || previousLast === undefined) {
      snapToBottom();
    } else {
      const oldIndex = messages.findIndex((m) => m.client_id === previousLast);
      setUnseen((count) => count + (oldIndex >= 0 ? messages.length - 1 - oldIndex : 1));
    }
  }, [messages, snapToBottom]);

  const onScroll = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
    atBottomRef.current = distance <= STICK_THRESHOLD_PX;
    if (atBottomRef.current) setUnseen(0);
    if (element.scrollTop < 200 && onReachTop) onReachTop();
  }, [onReachTop]);

  // Rows are measured after they render, and the pane itself resizes (window, composer): whenever either
  // changes size while the user follows the chat, the bottom stays in view.
  const hasMessages = messages.length > 0;
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || !hasMessages) return;
    const observer = new ResizeObserver(() => {
      if (atBottomRef.current) snapToBottom();
    });
    observer.observe(element);
    if (innerRef.current) observer.observe(innerRef.current);
    return () => observer.disconnect();
  }, [hasMessages, snapToBottom]);

  const showMessage = useCallback(
    (target: CachedMessage) => {
      const index = messages.indexOf(target);
      if (index < 0) return;
      atBottomRef.current = false;
      virtualizer.scrollToIndex(index, { align: 'center' });
      setHighlighted(target.client_id);
    },
    [messages, virtualizer],
  );
  const openParent = useCallback(
    (message: CachedMessage) => {
      const parent = findParent(message);
      if (parent) showMessage(parent);
      else {
        setSeeking({ reply: message, pages: 0 });
        callbacks.current.onReachTop?.();
      }
    },
    [findParent, showMessage],
  );
  // Looking for a parent in older history: each loaded page is searched, then the next one is asked for.
  useEffect(() => {
    if (!seeking || loadingOlder) return;
    const parent = findParent(seeking.reply);
    if (parent) {
      setSeeking(null);
      showMessage(parent);
    } else if (seeking.pages >= MAX_PAGES_FOR_PARENT || !callbacks.current.onReachTop) setSeeking(null);
    else {
      setSeeking({ ...seeking, pages: seeking.pages + 1 });
      callbacks.current.onReachTop();
    }
  }, [seeking, loadingOlder, findParent, showMessage]);
  useEffect(() => {
    if (!highlighted) return;
    const timer = setTimeout(() => setHighlighted(null), 2_000);
    return () => clearTimeout(timer);
  }, [highlighted]);

  const items = virtualizer.getVirtualItems();
  return (
    <div className="message-list-wrap">
      <div
        ref={scrollRef}
        className="message-list"
        role="log"
        aria-label={t('chat.log')}
        aria-live="polite"
        aria-relevant="additions"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable log must be reachable by keyboard to scroll it.
        tabIndex={0}
        onScroll={onScroll}
        data-testid="message-list"
      >
        {loadingOlder && <p className="message-list-note">{t('chat.loadingOlder')}</p>}
        {messages.length === 0 ? (
          <p className="message-list-empty">{t('chat.empty')}</p>
        ) : (
          <div ref={innerRef} className="message-list-inner" style={{ height: virtualizer.getTotalSize() }}>
            <div
              className="message-list-window"
              style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}
            >
              {items.map((item) => {
                const message = messages[item.index]!;
                return (
                  <div
                    key={item.key}
                    className={`message-list-row${highlighted === message.client_id ? ' message-list-row-highlighted' : ''}`}
                    data-index={item.index}
                    ref={virtualizer.measureElement}
                  >
                    <MessageRow
                      message={message}
                      mine={selfId !== null && message.author.id === selfId}
                      t={t}
                      language={i18n.language}
                      onRetry={retry}
                      onDiscard={discard}
                      parent={
                        message.reply_to !== null || message.reply_to_client_id !== null
                          ? findParent(message)
                          : undefined
                      }
                      onReply={onReply ? reply : undefined}
                      onReact={onReact ? react : undefined}
                      onOpenParent={openParent}
                    />
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
      {unseen > 0 && (
        <button type="button" className="new-messages" onClick={scrollToBottom}>
          <span aria-hidden="true">↓ </span>
          {t('chat.newMessages', { count: unseen })}
        </button>
      )}
    </div>
  );
}
