import type { TFunction } from 'i18next';
import { lazy, Suspense, useRef, useState } from 'react';
import { QUICK_REACTIONS } from '../chat/quick-reactions';

const EmojiPicker = lazy(() => import('./EmojiPicker'));

/**
 * The actions a message offers on hover and on keyboard focus: reply, the six common reactions, and the full
 * picker (loaded the first time it is opened, its emoji data bundled with the app: nothing comes from a CDN).
 * While the picker is open the bar stays shown, whether or not the pointer is still on the message.
 */
export function MessageActions({
  authorName,
  t,
  onReply,
  onReact,
}: {
  authorName: string;
  t: TFunction;
  onReply(): void;
  onReact(emoji: string): void;
}) {
  const [picking, setPicking] = useState(false);
  const more = useRef<HTMLButtonElement>(null);
  const closePicker = (returnFocus: boolean) => {
    setPicking(false);
    if (returnFocus) more.current?.focus();
  };
  return (
    <div className={`message-tools${picking ? ' message-tools-open' : ''}`}>
      <button
        type="button"
        className="message-tool"
        onClick={onReply}
        aria-label={t('chat.replyTo', { name: authorName })}
      >
        <span aria-hidden="true">↩ </span>
        {t('chat.reply')}
      </button>
      {QUICK_REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          className="message-tool message-tool-emoji"
          aria-label={t('chat.react', { emoji })}
          title={t('chat.react', { emoji })}
          onClick={() => onReact(emoji)}
        >
          {emoji}
        </button>
      ))}
      <button
        ref={more}
        type="button"
        className="message-tool"
        aria-label={t('chat.moreEmoji')}
        aria-haspopup="dialog"
        aria-expanded={picking}
        title={t('chat.moreEmoji')}
        onClick={() => setPicking((open) => !open)}
      >
        <span aria-hidden="true">+</span>
      </button>
      {picking && (
        <Suspense fallback={null}>
          <EmojiPicker
            anchor={more}
            onPick={(emoji) => {
              closePicker(true);
              onReact(emoji);
            }}
            onClose={closePicker}
          />
        </Suspense>
      )}
    </div>
  );
}
