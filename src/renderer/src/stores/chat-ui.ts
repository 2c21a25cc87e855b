import type { StateCreator } from 'zustand';
import type { StudioStore } from './index';

/** The message the composer answers (issue 16): enough to say "En réponse à {name}" and to link the reply. */
export type ReplyTarget = { clientId: string; name: string };

/** What the chat pane remembers that is not server state: drafts and replies per live, and a focus request. */
export type ChatUiSlice = {
  drafts: Record<number, string>;
  setDraft(liveId: number, text: string): void;
  replyTargets: Record<number, ReplyTarget | null>;
  replyTo(liveId: number, target: ReplyTarget | null): void;
  /** Bumped to ask the composer to take focus (keyboard shortcut); the composer watches it. */
  composerFocusRequest: number;
  focusComposer(): void;
};

export const createChatUiSlice: StateCreator<StudioStore, [], [], ChatUiSlice> = (set) => ({
  drafts: {},
  setDraft: (liveId, text) => set((state) => ({ drafts: { ...state.drafts, [liveId]: text } })),
  replyTargets: {},
  // Choosing "Répondre" also takes the user to the composer.
  replyTo: (liveId, target) =>
    set((state) => ({
      replyTargets: { ...state.replyTargets, [liveId]: target },
      composerFocusRequest: target ? state.composerFocusRequest + 1 : state.composerFocusRequest,
    })),
  composerFocusRequest: 0,
  focusComposer: () => set((state) => ({ composerFocusRequest: state.composerFocusRequest + 1 })),
});
