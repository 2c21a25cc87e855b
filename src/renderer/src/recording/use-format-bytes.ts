import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from './format';

/** formatBytes in the interface's language: its number format and its units (octets in French). */
export function useFormatBytes(): (bytes: number) => string {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  return useCallback(
    (bytes: number) =>
      formatBytes(bytes, language, {
        b: t('recorder.units.b'),
        kb: t('recorder.units.kb'),
        mb: t('recorder.units.mb'),
        gb: t('recorder.units.gb'),
        tb: t('recorder.units.tb'),
      }),
    [t, language],
  );
}
