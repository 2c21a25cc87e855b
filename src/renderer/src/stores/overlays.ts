import type { StateCreator } from 'zustand';
import type { StudioStore } from './index';

export type OverlaysSlice = {
  shortcutsOpen: boolean;
  setShortcutsOpen(open: boolean): void;
};

export const createOverlaysSlice: StateCreator<StudioStore, [], [], OverlaysSlice> = (set) => ({
  shortcutsOpen: false,
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
});
