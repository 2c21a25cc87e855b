import type { UiLanguage } from './ui-language';

/**
 * The application menu's own words, in both of the studio's languages: one small table, so that a label added in
 * one language and not the other fails to typecheck. The menu's other items are Electron roles (Edit, View…),
 * which Electron labels in the system's language.
 */
export type MenuWords = {
  file: string;
  openData: string;
  openRecordings: string;
  quit: string;
  edit: string;
  view: string;
  window: string;
  help: string;
  about: string;
};

export const MENU_WORDS: Record<UiLanguage, MenuWords> = {
  fr: {
    file: 'Fichier',
    openData: 'Ouvrir le dossier des données',
    openRecordings: 'Ouvrir le dossier des enregistrements',
    quit: 'Quitter',
    edit: 'Édition',
    view: 'Affichage',
    window: 'Fenêtre',
    help: 'Aide',
    about: 'À propos de CommuniConnect Studio',
  },
  en: {
    file: 'File',
    openData: 'Open data folder',
    openRecordings: 'Open recordings folder',
    quit: 'Quit',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    about: 'About CommuniConnect Studio',
  },
};
