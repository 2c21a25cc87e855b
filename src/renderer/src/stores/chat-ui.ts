import type { StateCreator } from 'zustand';
import type { StudioStore } from './index';

/** What the chat pane remembers that is not server state: drafts per live and a focus request. */
export type ChatUiSlice = {
  drafts: Record<number, string>;
  setDraft(liveId: number, text: string): void;
  /** Bumped to ask the composer to take focus (keyboard shortcut); the composer watches it. */
  composerFocusRequest: number;
  focusComposer(): void;
};

export const createChatUiSlice: StateCreator<StudioStore, [], [], ChatUiSlice> = (set) => ({
  drafts: {},
  setDraft: (liveId, text) => set((state) => ({ drafts: { ...state.drafts, [liveId]: text } })),
  composerFocusRequest: 0,
  focusComposer: () => set((state) => ({ composerFocusRequest: state.composerFocusRequest + 1 })),
});
