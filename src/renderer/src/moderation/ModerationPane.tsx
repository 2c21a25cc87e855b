import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CachedMessage } from '../../../shared/wire';
import { displayName } from '../chat/initials';
import { isTyping } from '../shortcuts';
import { ModerationMessageRow, type RowAction } from './ModerationMessageRow';
import { useFeatureText } from './strings';
import { TimeoutPicker } from './TimeoutPicker';

/** How many of the newest messages the pane lists (the cache holds them all; older ones are in the export). */
const SHOWN = 300;

type Props = {
  messages: CachedMessage[];
  pendingByMessage: Map<string, { action: string; status: string; error: string | null }>;
  onAct(message: CachedMessage, action: 'hide' | 'unhide' | 'delete' | 'ban'): void;
  onTimeout(message: CachedMessage, seconds: number): void;
  onAuthor(authorId: number): void;
  /** A message was chosen (click or ↑/↓): the video beside the chat goes to its moment. */
  onChoose?(message: CachedMessage): void;
};

/**
 * The live's chat with per-message actions. Keyboard: ↑/↓ choose a message, H hide (again: show), D delete,
 * T time out (then 1–4 for the length), B ban. Keys act on the chosen message, never while typing in a field.
 */
export function ModerationPane({ messages, pendingByMessage, onAct, onTimeout, onAuthor, onChoose }: Props) {
  const { text } = useFeatureText();
  const shown = useMemo(() => messages.slice(-SHOWN), [messages]);
  const byServerId = useMemo(
    () => new Map(messages.flatMap((m) => (m.server_id === null ? [] : [[m.server_id, m] as const]))),
    [messages],
  );
  const [selected, setSelected] = useState<string | null>(null);
  const [timeoutFor, setTimeoutFor] = useState<CachedMessage | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const current = shown.find((m) => m.client_id === selected) ?? null;
  const choose = (clientId: string) => {
    setSelected(clientId);
    const message = shown.find((m) => m.client_id === clientId);
    if (message) onChoose?.(message);
  };

  const act = useCallback(
    (message: CachedMessage, action: RowAction) => {
      setSelected(message.client_id);
      if (action === 'timeout') setTimeoutFor(message);
      else onAct(message, action);
    },
    [onAct],
  );

  const move = (step: number) => {
    if (shown.length === 0) return;
    const index = current ? shown.indexOf(current) : shown.length;
    const next = shown[Math.min(shown.length - 1, Math.max(0, index + step))]!;
    choose(next.client_id);
    list.current?.querySelector<HTMLElement>(`[data-client-id="${next.client_id}"]`)?.focus();
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
      return;
    }
    if (current?.status !== 'sent' || current.deleted) return;
    const action = ({ h: current.hidden ? 'unhide' : 'hide', d: 'delete', t: 'timeout', b: 'ban' } as const)[
      event.key.toLowerCase() as 'h' | 'd' | 't' | 'b'
    ];
    if (!action) return;
    event.preventDefault();
    act(current, action);
  };

  // Newest at the bottom, like the studio's chat: stay there while new messages arrive.
  const lastId = shown.at(-1)?.client_id;
  useEffect(() => {
    if (lastId) list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [lastId]);

  return (
    <section className="mod-pane" aria-label={text('chatLabel')}>
      {timeoutFor && (
        <TimeoutPicker
          name={displayName(timeoutFor.author)}
          onPick={(seconds) => {
            onTimeout(timeoutFor, seconds);
            setTimeoutFor(null);
          }}
          onCancel={() => setTimeoutFor(null)}
        />
      )}
      <ul
        ref={list}
        className="mod-list"
        aria-label={text('chatLabel')}
        tabIndex={shown.length > 0 && !selected ? 0 : -1}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          if (event.target === list.current && !selected && shown.length) move(0);
        }}
      >
        {shown.map((message) => (
          <ModerationMessageRow
            key={message.client_id}
            message={message}
            parent={message.reply_to === null ? undefined : byServerId.get(message.reply_to)}
            selected={message.client_id === selected}
            local={pendingByMessage.get(message.client_id)}
            onSelect={choose}
            onAction={act}
            onAuthor={onAuthor}
          />
        ))}
      </ul>
      <p className="mod-keys">{text('keys')}</p>
    </section>
  );
}
