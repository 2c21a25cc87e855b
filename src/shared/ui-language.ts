/**
 * The studio's languages, shared by the renderer (i18next), the host (which remembers the choice) and the Electron
 * menu (which follows it). French first: CommuniConnect's language. Runs everywhere: no Node, no DOM.
 */
export const UI_LANGUAGES = ['fr', 'en'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (UI_LANGUAGES as readonly string[]).includes(value);
}

/** A system locale (`app.getLocale()`, `navigator.language`) → ours: English to an English system, else French. */
export function uiLanguageOf(locale: string): UiLanguage {
  return locale.toLowerCase().startsWith('en') ? 'en' : 'fr';
}
