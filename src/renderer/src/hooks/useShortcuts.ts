import { useEffect } from 'react';
import { type ShortcutAction, shortcutFor } from '../shortcuts';
import { useStudioStore } from '../stores';

/** Installs the window-wide key handler once; each action is a store call, so screens need not know keys. */
export function useShortcuts(enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const run: Record<ShortcutAction, () => void> = {
      toggleRecording: () => useStudioStore.getState().requestRecordingToggle(),
      focusComposer: () => {
        const store = useStudioStore.getState();
        if (store.screen !== 'studio' && store.liveId !== null) store.go('studio');
        store.focusComposer();
      },
      goModeration: () => useStudioStore.getState().go('moderation'),
      goLives: () => useStudioStore.getState().go('lives'),
      help: () => useStudioStore.getState().setShortcutsOpen(true),
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const shortcut = shortcutFor(event);
      if (!shortcut) return;
      event.preventDefault();
      run[shortcut.action]();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
