import { z } from 'zod';
import { UI_LANGUAGES, type UiLanguage } from '../../shared/ui-language';
import type { SettingsStore } from '../db/settings-store';

const LANGUAGE_SETTING = 'ui.language';
const languageSchema = z.enum(UI_LANGUAGES);

/**
 * The language the host's user chose in the studio. The renderer owns the choice (its switch, its localStorage)
 * and tells the host; the host remembers it, so that the Electron menu is in that language from the next launch's
 * first frame, and tells its listeners (main rebuilds the menu) when it changes.
 */
export class UiLanguagePreference {
  readonly #listeners = new Set<(language: UiLanguage) => void>();

  constructor(private readonly settings: SettingsStore) {}

  /** The saved choice, or null before the renderer has told one. */
  current(): UiLanguage | null {
    return this.settings.read(LANGUAGE_SETTING, languageSchema);
  }

  set(language: UiLanguage): void {
    if (this.current() === language) return;
    this.settings.write(LANGUAGE_SETTING, language);
    for (const listener of this.#listeners) listener(language);
  }

  /** Returns the unsubscribe. */
  onChange(listener: (language: UiLanguage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
