import type { TFunction } from 'i18next';
import { lazy, Suspense, useState } from 'react';
import { QUICK_REACTIONS } from '../chat/quick-reactions';

const EmojiPicker = lazy(() => import('./EmojiPicker'));

/**
 * The actions a message offers on hover and on keyboard focus: reply, the six common reactions, and the full
 * picker (loaded the first time it is opened, its emoji data bundled with the app: nothing comes from a CDN).
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
  return (
    <div className="message-tools">
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
        type="button"
        className="message-tool"
        aria-label={t('chat.moreEmoji')}
        aria-expanded={picking}
        title={t('chat.moreEmoji')}
        onClick={() => setPicking((open) => !open)}
      >
        <span aria-hidden="true">+</span>
      </button>
      {picking && (
        <Suspense fallback={null}>
          <EmojiPicker
            onPick={(emoji) => {
              setPicking(false);
              onReact(emoji);
            }}
            onClose={() => setPicking(false)}
          />
        </Suspense>
      )}
    </div>
  );
}
