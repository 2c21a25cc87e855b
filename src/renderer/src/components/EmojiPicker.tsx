import {
  defaultEmojiDataResolver,
  type EmojiDataResolver,
  type EmojiPickerListEmojiProps,
  type EmojiPickerListRowProps,
  EmojiPicker as Picker,
} from 'frimousse';
import { type RefObject, useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Bundled with the renderer (electron.vite.config.ts `bundleEmojiData`): no CDN, the picker works offline.
 * frimousse fetches `<this>/<locale>/data.json` and `<this>/<locale>/messages.json` (and HEADs them once a
 * session to revalidate the copy it keeps in localStorage).
 */
const EMOJI_DATA_URL = new URL('emojibase', document.baseURI).href;

/** The picker's two languages: the studio's, and the other one, whose names are searched too. */
const LOCALES = ['fr', 'en'] as const;

/** "fusée" → "fusee": a search typed without accents still finds the emoji. */
function withoutAccents(word: string): string {
  return word.normalize('NFD').replace(/\p{Mn}/gu, '');
}

/**
 * Emojibase's data in the studio's language, each emoji also found by its name and keywords in the other
 * language and without accents: in French "fusée", "fusee" and "rocket" all find 🚀. frimousse's search
 * matches the label and the tags; the label shown stays in the studio's language.
 */
const resolveBilingualData: EmojiDataResolver = async (locale, options) => {
  const other = LOCALES.find((candidate) => candidate !== locale) ?? 'en';
  const [data, otherData] = await Promise.all([
    defaultEmojiDataResolver(locale, options),
    defaultEmojiDataResolver(other, options),
  ]);
  const otherWords = new Map(otherData.emojis.map((emoji) => [emoji.emoji, [emoji.label, ...emoji.tags]]));
  return {
    ...data,
    emojis: data.emojis.map((emoji) => {
      const words = [...emoji.tags, ...(otherWords.get(emoji.emoji) ?? [])];
      const tags = new Set([...words, ...[emoji.label, ...words].map(withoutAccents)]);
      return { ...emoji, tags: [...tags] };
    }),
  };
};

/** ARIA counts grid rows and columns from 1; frimousse numbers them from 0. Their roles come in `props`. */
function EmojiRow({ 'aria-rowindex': rowIndex, ...props }: EmojiPickerListRowProps) {
  const index = typeof rowIndex === 'number' ? rowIndex + 1 : undefined;
  // biome-ignore lint/a11y/useAriaPropsSupportedByRole: `props` carries frimousse's role="row".
  return <div {...props} aria-rowindex={index} />;
}
function EmojiButton({ emoji, 'aria-colindex': columnIndex, ...props }: EmojiPickerListEmojiProps) {
  const index = typeof columnIndex === 'number' ? columnIndex + 1 : undefined;
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: `props` carries frimousse's role="gridcell".
    <button type="button" {...props} aria-colindex={index}>
      {emoji.emoji}
    </button>
  );
}
const LIST_COMPONENTS = { Row: EmojiRow, Emoji: EmojiButton };

/** Space kept between the picker and its button, and between the picker and the window's edges. */
const GAP_PX = 4;
const EDGE_PX = 8;

/**
 * Next to its button: below it, right edges aligned, or above it when there is more room there; always
 * inside the window.
 */
function place(popover: HTMLElement, anchor: HTMLElement) {
  const button = anchor.getBoundingClientRect();
  const width = popover.offsetWidth;
  const height = popover.offsetHeight;
  const viewWidth = document.documentElement.clientWidth;
  const viewHeight = document.documentElement.clientHeight;
  const roomBelow = viewHeight - button.bottom - GAP_PX - EDGE_PX;
  const roomAbove = button.top - GAP_PX - EDGE_PX;
  const wanted =
    height <= roomBelow || roomBelow >= roomAbove ? button.bottom + GAP_PX : button.top - GAP_PX - height;
  const top = Math.max(EDGE_PX, Math.min(wanted, viewHeight - height - EDGE_PX));
  const left = Math.max(EDGE_PX, Math.min(button.right - width, viewWidth - width - EDGE_PX));
  // Written only when they change: the picker follows its button every frame, and a style write would make
  // the next layout read (axe's, the list's) recompute the page.
  const position = { top: `${Math.round(top)}px`, left: `${Math.round(left)}px` };
  if (popover.style.top !== position.top) popover.style.top = position.top;
  if (popover.style.left !== position.left) popover.style.left = position.left;
}

/**
 * The full emoji picker (frimousse), in the studio's language; loaded the first time it is opened (lazy import
 * in MessageActions.tsx). A non-modal dialog in the top layer (a manual popover): the list row's containment
 * and the chat pane's overflow cannot clip it, and it stays open while the pointer leaves the message. The
 * search takes the focus; Escape closes it (`onClose(true)`: focus back to the button), and so do a click or
 * the focus going elsewhere, or its message leaving the chat's view (`onClose(false)`).
 */
export default function EmojiPicker({
  anchor,
  onPick,
  onClose,
}: {
  /** The button that opened the picker: the picker stands next to it. */
  anchor: RefObject<HTMLElement | null>;
  onPick(emoji: string): void;
  onClose(returnFocus: boolean): void;
}) {
  const { t, i18n } = useTranslation();
  const popover = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  // Shown, placed and focused before the first paint; then it follows its button (the list scrolls, the row
  // grows with a new reaction, the window resizes) until it closes.
  useLayoutEffect(() => {
    const element = popover.current;
    const button = anchor.current;
    if (!element || !button) return;
    element.showPopover();
    place(element, button);
    element.querySelector<HTMLInputElement>('[frimousse-search]')?.focus();
    let frame = requestAnimationFrame(function follow() {
      place(element, button);
      frame = requestAnimationFrame(follow);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (element.matches(':popover-open')) element.hidePopover();
    };
  }, [anchor]);

  useEffect(() => {
    const element = popover.current;
    const button = anchor.current;
    if (!element || !button) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (target && !element.contains(target) && !button.contains(target)) close.current(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    // Its message scrolled out of the chat's view: the picker would float over something else.
    const visibility = new IntersectionObserver(([entry]) => {
      if (entry && !entry.isIntersecting) close.current(false);
    });
    visibility.observe(button);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      visibility.disconnect();
    };
  }, [anchor]);

  return (
    <div
      ref={popover}
      popover="manual"
      role="dialog"
      aria-label={t('chat.moreEmoji')}
      className="emoji-picker-popover"
      // A click on the picker's background keeps the focus in it (and frimousse's keyboard navigation on).
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        onClose(true);
      }}
      onBlur={(event) => {
        const next = event.relatedTarget;
        if (next && !event.currentTarget.contains(next) && !anchor.current?.contains(next)) onClose(false);
      }}
    >
      <Picker.Root
        className="emoji-picker"
        locale={i18n.language.startsWith('fr') ? 'fr' : 'en'}
        emojibaseUrl={EMOJI_DATA_URL}
        resolveEmojiData={resolveBilingualData}
        columns={8}
        onEmojiSelect={(emoji) => onPick(emoji.emoji)}
      >
        <Picker.Search
          className="emoji-picker-search"
          aria-label={t('chat.searchEmoji')}
          placeholder={t('chat.searchEmoji')}
        />
        {/* Reachable by Tab (a scrollable region must be): there the arrow keys move through the emoji. */}
        <Picker.Viewport className="emoji-picker-viewport" tabIndex={0}>
          <Picker.Loading className="emoji-picker-note">{t('app.loading')}</Picker.Loading>
          <Picker.Empty className="emoji-picker-note">{t('chat.noEmoji')}</Picker.Empty>
          <Picker.List className="emoji-picker-list" components={LIST_COMPONENTS} />
        </Picker.Viewport>
      </Picker.Root>
    </div>
  );
}
