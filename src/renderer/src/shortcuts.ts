/**
 * The keyboard shortcuts of the studio window, in one list that both the key handler and the help overlay
 * read, so the help can never drift from what the keys do. Matching uses `event.code` (the physical key) so
 * that Alt+letter works on AZERTY and on macOS, where Option changes the typed character.
 */
export type ShortcutAction = 'toggleRecording' | 'focusComposer' | 'goModeration' | 'goLives' | 'help';

export type Shortcut = {
  action: ShortcutAction;
  /** Shown in the help overlay, e.g. ["Alt", "R"]. */
  keys: string[];
  matches(event: KeyboardEvent): boolean;
  /** Also fires while typing in a text field (Alt+… shortcuts do; a bare "?" must not). */
  whileTyping: boolean;
};

const alt = (code: string) => (event: KeyboardEvent) =>
  event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.code === code;

export const SHORTCUTS: Shortcut[] = [
  { action: 'toggleRecording', keys: ['Alt', 'R'], matches: alt('KeyR'), whileTyping: true },
  { action: 'focusComposer', keys: ['Alt', 'C'], matches: alt('KeyC'), whileTyping: true },
  { action: 'goModeration', keys: ['Alt', 'M'], matches: alt('KeyM'), whileTyping: true },
  { action: 'goLives', keys: ['Alt', 'L'], matches: alt('KeyL'), whileTyping: true },
  {
    action: 'help',
    keys: ['?'],
    matches: (event) => event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey,
    whileTyping: false,
  },
  { action: 'help', keys: ['F1'], matches: (event) => event.key === 'F1', whileTyping: true },
];

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function shortcutFor(event: KeyboardEvent): Shortcut | undefined {
  const typing = isTyping(event.target);
  return SHORTCUTS.find((shortcut) => (shortcut.whileTyping || !typing) && shortcut.matches(event));
}
