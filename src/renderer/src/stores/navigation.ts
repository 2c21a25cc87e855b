import type { StateCreator } from 'zustand';
import type { StudioStore } from './index';

/** Screens of the studio window. Moderation, library and replay are filled in by their own features. */
export const SCREENS = ['lives', 'studio', 'moderation', 'library', 'replay', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export function isScreen(value: unknown): value is Screen {
  return typeof value === 'string' && (SCREENS as readonly string[]).includes(value);
}

export type NavigationSlice = {
  screen: Screen;
  /** The live the studio (and moderation) screens are about. */
  liveId: number | null;
  go(screen: Screen): void;
  openLive(liveId: number): void;
};

export const createNavigationSlice: StateCreator<StudioStore, [], [], NavigationSlice> = (set) => ({
  screen: 'lives',
  liveId: null,
  go: (screen) => set({ screen }),
  openLive: (liveId) => set({ screen: 'studio', liveId }),
});
