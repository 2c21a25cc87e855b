import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { isLanguage } from '../i18n';
import { type ChatUiSlice, createChatUiSlice } from './chat-ui';
import { createNavigationSlice, isScreen, type NavigationSlice } from './navigation';
import { createOverlaysSlice, type OverlaysSlice } from './overlays';
import { createPreferencesSlice, type PreferencesSlice } from './preferences';
import { createRecordingCommandsSlice, type RecordingCommandsSlice } from './recording-commands';

/**
 * The renderer's UI state (server state lives in TanStack Query through tRPC). zustand's slices pattern:
 * one slice per feature, combined into this one typed store.
 */
export type StudioStore = NavigationSlice &
  PreferencesSlice &
  ChatUiSlice &
  OverlaysSlice &
  RecordingCommandsSlice;

export const STORE_KEY = 'communiconnect-studio-ui';

export const useStudioStore = create<StudioStore>()(
  persist(
    (...a) => ({
      ...createNavigationSlice(...a),
      ...createPreferencesSlice(...a),
      ...createChatUiSlice(...a),
      ...createOverlaysSlice(...a),
      ...createRecordingCommandsSlice(...a),
    }),
    {
      name: STORE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      // Preferences, drafts and where the user was (a restart mid-live reopens the studio) survive a restart.
      partialize: (state) => ({
        language: state.language,
        drafts: state.drafts,
        screen: state.screen,
        liveId: state.liveId,
      }),
      merge: (persisted, current) => {
        const saved = (persisted ?? {}) as Partial<StudioStore>;
        return {
          ...current,
          language: isLanguage(saved.language) ? saved.language : current.language,
          drafts: saved.drafts && typeof saved.drafts === 'object' ? saved.drafts : current.drafts,
          screen: isScreen(saved.screen) ? saved.screen : current.screen,
          liveId: typeof saved.liveId === 'number' && saved.liveId > 0 ? saved.liveId : null,
        };
      },
    },
  ),
);
