import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isUiLanguage, UI_LANGUAGES, type UiLanguage } from '../../../shared/ui-language';
import { en } from './en';
import { fr } from './fr';

// The languages are the shared table's (src/shared): the host and the Electron menu speak the same ones.
export const LANGUAGES = UI_LANGUAGES;
export type Language = UiLanguage;
export const isLanguage = isUiLanguage;

/**
 * One i18next instance for the renderer. French first (CommuniConnect's language); the stored preference
 * (stores/preferences) picks the starting language so that a reload keeps the user's choice.
 */
export function initI18n(language: Language) {
  void i18next.use(initReactI18next).init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    lng: language,
    fallbackLng: 'fr',
    supportedLngs: LANGUAGES,
    // React escapes what it renders; i18next must not escape a second time (a name like "O'Neil" stays intact).
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  document.documentElement.lang = language;
  return i18next;
}

export function applyLanguage(language: Language) {
  document.documentElement.lang = language;
  if (i18next.language !== language) void i18next.changeLanguage(language);
}
