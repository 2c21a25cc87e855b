import { EmojiPicker as Picker } from 'frimousse';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** Bundled with the renderer (electron.vite.config.ts `bundleEmojiData`): no CDN, the picker works offline. */
const EMOJI_DATA_URL = new URL('emojibase', document.baseURI).href;

/**
 * The full emoji picker (frimousse), in the studio's language; loaded the first time it is opened (lazy import
 * in MessageReactions.tsx). Escape closes it; the search takes the focus.
 */
export default function EmojiPicker({ onPick, onClose }: { onPick(emoji: string): void; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    root.current?.querySelector('input')?.focus();
  }, []);
  return (
    <Picker.Root
      ref={root}
      className="emoji-picker"
      locale={i18n.language.startsWith('fr') ? 'fr' : 'en'}
      emojibaseUrl={EMOJI_DATA_URL}
      columns={8}
      onEmojiSelect={(emoji) => onPick(emoji.emoji)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <Picker.Search
        className="emoji-picker-search"
        aria-label={t('chat.searchEmoji')}
        placeholder={t('chat.searchEmoji')}
      />
      <Picker.Viewport className="emoji-picker-viewport">
        <Picker.Loading className="emoji-picker-note">{t('app.loading')}</Picker.Loading>
        <Picker.Empty className="emoji-picker-note">{t('chat.noEmoji')}</Picker.Empty>
        <Picker.List className="emoji-picker-list" />
      </Picker.Viewport>
    </Picker.Root>
  );
}
