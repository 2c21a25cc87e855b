import type { MenuItemConstructorOptions } from 'electron';

/** What the menu's own items do; the rest are Electron roles. Injected so the template is tested as data. */
export type MenuActions = {
  openDataFolder(): void;
  openRecordingsFolder(): void;
  showAbout(): void;
  quit(): void;
};

export type MenuSetup = {
  /** `app.getLocale()`: French unless the system speaks something else, then English. */
  locale: string;
  platform: NodeJS.Platform;
  appName: string;
  /** Developer tools only in an unpackaged (developer) build. */
  isPackaged: boolean;
  actions: MenuActions;
};

type Words = {
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

export const MENU_WORDS: Record<'fr' | 'en', Words> = {
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

export function menuLanguage(locale: string): 'fr' | 'en' {
  return locale.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

/** The application menu (no tray: the studio is one window, and quitting quits). */
export function buildMenuTemplate(setup: MenuSetup): MenuItemConstructorOptions[] {
  const words = MENU_WORDS[menuLanguage(setup.locale)];
  const { actions } = setup;
  const isMac = setup.platform === 'darwin';
  const quit: MenuItemConstructorOptions = {
    label: words.quit,
    accelerator: 'CmdOrCtrl+Q',
    click: () => actions.quit(),
  };
  const about: MenuItemConstructorOptions = { label: words.about, click: () => actions.showAbout() };

  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: setup.appName,
      submenu: [
        about,
        { type: 'separator' },
        { role: 'hide' },
        { role: 'unhide' },
        { type: 'separator' },
        quit,
      ],
    });
  }
  template.push(
    {
      label: words.file,
      submenu: [
        { label: words.openData, click: () => actions.openDataFolder() },
        { label: words.openRecordings, click: () => actions.openRecordingsFolder() },
        ...(isMac ? [] : [{ type: 'separator' } as const, quit]),
      ],
    },
    {
      label: words.edit,
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: words.view,
      submenu: [
        { role: 'reload' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(setup.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      ],
    },
    { label: words.window, submenu: [{ role: 'minimize' }, { role: 'close' }] },
    { label: words.help, submenu: isMac ? [] : [about] },
  );
  return template;
}
