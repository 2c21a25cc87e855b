import type { MenuItemConstructorOptions } from 'electron';
import { MENU_WORDS } from '../shared/menu-words';
import type { UiLanguage } from '../shared/ui-language';

/** What the menu's own items do; the rest are Electron roles. Injected so the template is tested as data. */
export type MenuActions = {
  openDataFolder(): void;
  openRecordingsFolder(): void;
  showAbout(): void;
  quit(): void;
};

export type MenuSetup = {
  /**
   * The studio's language: the one chosen in the app (the host remembers it), else the system's
   * (`uiLanguageOf(app.getLocale())`). Main rebuilds the menu when the in-app choice changes.
   */
  language: UiLanguage;
  platform: NodeJS.Platform;
  appName: string;
  /** Developer tools only in an unpackaged (developer) build. */
  isPackaged: boolean;
  actions: MenuActions;
};

/** The application menu (no tray: the studio is one window, and quitting quits). */
export function buildMenuTemplate(setup: MenuSetup): MenuItemConstructorOptions[] {
  const words = MENU_WORDS[setup.language];
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
