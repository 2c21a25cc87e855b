import 'i18next';
import type { fr } from './fr';

// Makes t('…') keys type-checked against the French reference.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof fr };
  }
}
