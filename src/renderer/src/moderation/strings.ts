import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { fr } from '../i18n/fr';

type Plain<K> = K extends `${infer Base}_${'one' | 'other'}` ? Base : K;
/** A key of `feature`; plural forms (`results_one`, `results_other`) are asked for by their base and a count. */
type Key = Plain<Exclude<keyof (typeof fr)['feature'], 'actions'>>;

/**
 * The words of the moderation, replay and library screens, from the app's i18n resources (`feature.*` in
 * i18n/fr.ts and en.ts), so that they follow the language switch like every other screen.
 */
export function useFeatureText() {
  const { t, i18n } = useTranslation();
  const text = useCallback(
    (key: Key, values?: Record<string, string | number>) => t(`feature.${key}`, values ?? {}),
    [t],
  );
  // An action the server added after this build is shown by its code rather than not at all.
  const actionName = useCallback(
    (action: string) => {
      const key = `feature.actions.${action}`;
      return i18n.exists(key) ? t(key as 'feature.actions.hide') : action;
    },
    [t, i18n],
  );
  return { text, actionName, language: i18n.language };
}
