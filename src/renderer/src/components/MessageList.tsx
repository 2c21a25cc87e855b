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

/** How close to the bottom still counts as "following the chat". */
const STICK_THRESHOLD_PX = 48;

/**
 * The chat pane's list: an ARIA log, virtualized so that 10,000 messages cost what ~20 visible rows cost.
 * It follows new messages while the user is at the bottom; scrolled up, it counts them in an indicator instead.
 */
export function MessageList({ messages, selfId, onRetry, onDiscard, onReachTop, loadingOlder }: Props) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottomRef = useRef(true);
  const [unseen, setUnseen] = useState(0);
  const lastKeyRef = useRef<string | undefined>(undefined);
  const firstKeyRef = useRef<string | undefined>(undefined);

  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 56,
    overscan: 10,
    getItemKey: (index) => messages[index]?.client_id ?? index,
  });

  const scrollToBottom = useCallback(() => {
    if (messages.length > 0) virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
    atBottomRef.current = true;
    setUnseen(0);
  }, [messages.length, virtualizer]);

  // New messages at the end: follow them if the user is at the bottom, or count them if they scrolled up.
  useLayoutEffect(() => {
    const last = messages[messages.length - 1];
    const first = messages[0];
    const previousLast = lastKeyRef.current;
    const prependedOnly = previousLast === last?.client_id && firstKeyRef.current !== first?.client_id;
    lastKeyRef.current = last?.client_id;
    firstKeyRef.current = first?.client_id;
    if (!last || previousLast === last.client_id || prependedOnly) return;
    if (atBottomRef.current || previousLast === undefined) {
      virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
    } else {
      const oldIndex = messages.findIndex((m) => m.client_id === previousLast);
      setUnseen((count) => count + (oldIndex >= 0 ? messages.length - 1 - oldIndex : 1));
    }
  }, [messages, virtualizer]);

  const onScroll = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
    atBottomRef.current = distance <= STICK_THRESHOLD_PX;
    if (atBottomRef.current) setUnseen(0);
    if (element.scrollTop < 200 && onReachTop) onReachTop();
  }, [onReachTop]);

  // Keep the bottom in view when the pane itself resizes (window resize, composer growing).
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (atBottomRef.current && messages.length > 0) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [messages.length]);

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
          <div className="message-list-inner" style={{ height: virtualizer.getTotalSize() }}>
            <div
              className="message-list-window"
              style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}
            >
              {items.map((item) => {
                const message = messages[item.index]!;
                return (
                  <div key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
                    <MessageRow
                      message={message}
                      mine={selfId !== null && message.author.id === selfId}
                      onRetry={onRetry}
                      onDiscard={onDiscard}
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
