import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
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
};

/** A one-line message; rows are measured once rendered, this only places rows not yet seen. */
const ESTIMATED_ROW_PX = 56;
/** How close to the bottom still counts as "following the chat". */
const STICK_THRESHOLD_PX = 48;

/**
 * The chat pane's list: an ARIA log, virtualized so that 10,000 messages cost what ~20 visible rows cost.
 * It follows new messages while the user is at the bottom; scrolled up, it counts them in an indicator instead.
 */
export function MessageList({ messages, selfId, onRetry, onDiscard, onReachTop, loadingOlder }: Props) {
  const { t, i18n } = useTranslation();
  // Rows are memoised: they get callbacks that never change, which call the latest ones the screen passed
  // (the screen re-renders on every new message; fresh arrows would re-render every visible row with it).
  const callbacks = useRef({ onRetry, onDiscard });
  callbacks.current = { onRetry, onDiscard };
  const retry = useCallback((clientId: string) => callbacks.current.onRetry(clientId), []);
  const discard = useCallback((clientId: string) => callbacks.current.onDiscard(clientId), []);
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
                    className="message-list-row"
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
