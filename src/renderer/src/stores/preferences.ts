import type { StateCreator } from 'zustand';
import type { Language } from '../i18n';
import type { StudioStore } from './index';

export type PreferencesSlice = {
  language: Language;
  setLanguage(language: Language): void;
};

export const createPreferencesSlice: StateCreator<StudioStore, [], [], PreferencesSlice> = (set) => ({
  language: 'fr',
  setLanguage: (language) => set({ language }),
});
