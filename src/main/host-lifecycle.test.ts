import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { hostPaths, installGracefulQuit } from './host-lifecycle';
import { MENU_WORDS } from '../shared/menu-words';
import { type UiLanguage, uiLanguageOf } from '../shared/ui-language';
import { buildMenuTemplate } from './menu';

function fakeApp() {
  const calls: string[] = [];
  const app = Object.assign(new EventEmitter(), {
    quit: () => {
      calls.push('quit');
      app.emit('before-quit', { preventDefault: () => calls.push('prevented-again') });
    },
    exit: () => calls.push('exit'),
  });
  return { app, calls };
}

describe('host lifecycle', () => {
  it('uses userData and Videos/CommuniConnect, unless the STUDIO_* variables say otherwise', () => {
    const app = { getPath: (name: string) => `/home/ana/${name}` };
    expect(hostPaths(app, {})).toEqual({
      dataDir: '/home/ana/userData',
      recordingsDir: '/home/ana/videos/CommuniConnect',
      serverUrl: undefined,
    });
    expect(
      hostPaths(app, {
        STUDIO_DATA_DIR: '/tmp/d',
        STUDIO_RECORDINGS_DIR: '/tmp/r',
        STUDIO_SERVER_URL: 'http://x',
      }),
    ).toEqual({ dataDir: '/tmp/d', recordingsDir: '/tmp/r', serverUrl: 'http://x' });
  });

  it('waits for the host to close before quitting, once, even if quit is asked again meanwhile', async () => {
    const { app, calls } = fakeApp();
    let release = () => {};
    let closes = 0;
    installGracefulQuit(app, () => {
      closes += 1;
      return new Promise<void>((resolve) => (release = resolve));
    });
    let prevented = 0;
    app.emit('before-quit', { preventDefault: () => prevented++ });
    app.emit('before-quit', { preventDefault: () => prevented++ }); // a second Cmd+Q while closing
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect({ prevented, closes, calls }).toEqual({ prevented: 2, closes: 1, calls: [] });
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toEqual(['quit']); // the real quit is not held again
  });

  it('quits anyway when the host hangs past the grace period, or fails', async () => {
    const hung = fakeApp();
    installGracefulQuit(hung.app, () => new Promise<void>(() => {}), 20);
    hung.app.emit('before-quit', { preventDefault: () => {} });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(hung.calls).toEqual(['quit']);

    const failing = fakeApp();
    installGracefulQuit(failing.app, () => Promise.reject(new Error('disk full')), 1000);
    failing.app.emit('before-quit', { preventDefault: () => {} });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(failing.calls).toEqual(['quit']);
  });
});

describe('application menu', () => {
  const actions = {
    openDataFolder: () => {},
    openRecordingsFolder: () => {},
    showAbout: () => {},
    quit: () => {},
  };
  const labels = (language: UiLanguage, platform: NodeJS.Platform, isPackaged = true) =>
    buildMenuTemplate({ language, platform, appName: 'CommuniConnect Studio', isPackaged, actions }).map(
      (item) => [
        item.label,
        (item.submenu as { label?: string; role?: string }[]).map(
          (entry) => entry.label ?? entry.role ?? '-',
        ),
      ],
    );

  it('speaks French by default and English to an English system', () => {
    expect(uiLanguageOf('fr-CA')).toBe('fr');
    expect(uiLanguageOf('de')).toBe('fr');
    expect(uiLanguageOf('en-GB')).toBe('en');
    expect(labels('fr', 'linux')[0]).toEqual([
      'Fichier',
      ['Ouvrir le dossier des données', 'Ouvrir le dossier des enregistrements', '-', 'Quitter'],
    ]);
    expect(labels('en', 'win32')[0]).toEqual([
      'File',
      ['Open data folder', 'Open recordings folder', '-', 'Quit'],
    ]);
    expect(labels('fr', 'linux').at(-1)).toEqual(['Aide', ['À propos de CommuniConnect Studio']]);
  });

  it('has every label of the shared table in both languages, and none left over from the other', () => {
    const words = (language: UiLanguage) =>
      labels(language, 'linux', false)
        .flatMap(([label, submenu]) => [label, ...(submenu as string[])])
        .filter((label): label is string => typeof label === 'string');
    for (const [language, other] of [
      ['fr', 'en'],
      ['en', 'fr'],
    ] as const) {
      const shown = words(language);
      for (const word of Object.values(MENU_WORDS[language])) expect(shown).toContain(word);
      for (const word of Object.values(MENU_WORDS[other])) expect(shown).not.toContain(word);
    }
  });

  it('puts About and Quit in the app menu on macOS', () => {
    const mac = labels('fr', 'darwin');
    expect(mac[0]?.[0]).toBe('CommuniConnect Studio');
    expect(mac[0]?.[1]).toContain('À propos de CommuniConnect Studio');
    expect(mac[0]?.[1]).toContain('Quitter');
  });

  it('offers developer tools only in an unpackaged build', () => {
    const view = (isPackaged: boolean) =>
      labels('fr', 'linux', isPackaged).find(([label]) => label === 'Affichage');
    expect(view(true)?.[1]).not.toContain('toggleDevTools');
    expect(view(false)?.[1]).toContain('toggleDevTools');
  });
});
