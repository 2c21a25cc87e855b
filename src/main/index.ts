import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { hostRouter } from '../host/routers';
import { type UiLanguage, uiLanguageOf } from '../shared/ui-language';
import { APP_SCHEME } from './app-origin';
import { installGracefulQuit, hostPaths, startHost } from './host-lifecycle';
import { keychainSecretBox } from './keychain';
import { createIpcAdapter, type IpcMainLike } from './ipc-adapter';
import { buildMenuTemplate } from './menu';
import { blockForeignRequests } from './network-guard';
import { installPermissionHandlers } from './permissions';
import { APP_SCHEME_PRIVILEGES, createAppRequestHandler } from './protocol';
import { isFromOurMainFrame } from './trusted-sender';
import { createMainWindow } from './window';

/**
 * The Electron main process: thin (design §1). It wires the jobs of the files beside it — window and its guards,
 * app:// protocol, permissions, network guard, tRPC IPC adapter, menu, host lifecycle — and does nothing else.
 */
const outDir = fileURLToPath(new URL('..', import.meta.url));
const rendererDir = `${outDir}renderer`;
const preloadPath = `${outDir}preload/index.cjs`;

// Must happen before `ready`: app:// becomes a standard, secure origin.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

/** Resolves once the window exists (tests with the fake Electron await it); rejects never — failures quit. */
export const started: Promise<void> = run().catch((error: unknown) => {
  console.error('CommuniConnect Studio could not start:', error);
  dialog.showErrorBox('CommuniConnect Studio', `Le studio n’a pas pu démarrer.\n\n${String(error)}`);
  app.exit(1);
});

async function run(): Promise<void> {
  // One studio at a time: two would share (and fight over) the same SQLite file and recordings.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Every renderer sandboxed, whatever its webPreferences say (checklist item 4).
  app.enableSandbox();

  let mainWindow: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // Defence in depth for any webContents, not just ours: no webview, no popups, no navigation.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  await app.whenReady();

  const paths = hostPaths(app);
  // After whenReady: safeStorage can reach the keychain only then.
  const host = await startHost(paths, keychainSecretBox());

  const ses = session.defaultSession;
  installPermissionHandlers(ses);
  blockForeignRequests(ses.webRequest);
  ses.protocol.handle(
    APP_SCHEME,
    createAppRequestHandler({
      rendererDir,
      recordings: { directory: () => paths.recordingsDir, fileFor: (id) => host.recordings.fileFor(id) },
    }),
  );

  const adapter = createIpcAdapter({
    ipcMain: ipcMain as unknown as IpcMainLike,
    router: hostRouter,
    createContext: () => ({ host, transport: 'ipc' as const }),
    isTrustedSender: (event) => isFromOurMainFrame(event, mainWindow?.webContents),
    onUntrustedMessage: (event) =>
      console.warn(`IPC from an untrusted frame refused (webContents ${event.sender.id})`),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`IPC ${path ?? '?'} failed:`, error);
    },
  });
  installGracefulQuit(app, async () => {
    adapter.close();
    await host.close();
  });

  // The menu speaks the studio's language: the one chosen in the app (remembered by the host, so the first
  // frame already has it), else the system's; it is rebuilt whenever the renderer's switch changes it.
  const installMenu = (language: UiLanguage) =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          language,
          platform: process.platform,
          appName: app.getName(),
          isPackaged: app.isPackaged,
          actions: {
            openDataFolder: () => void shell.openPath(paths.dataDir),
            openRecordingsFolder: () => void shell.openPath(paths.recordingsDir),
            showAbout: () =>
              void dialog.showMessageBox({
                type: 'info',
                title: 'CommuniConnect Studio',
                message: `CommuniConnect Studio ${app.getVersion()}`,
                detail: `Electron ${process.versions.electron ?? '?'} · Chromium ${process.versions.chrome ?? '?'} · Node ${process.versions.node}\n${paths.dataDir}`,
              }),
            quit: () => app.quit(),
          },
        }),
      ),
    );
  installMenu(host.language.current() ?? uiLanguageOf(app.getLocale()));
  host.language.onChange(installMenu);

  const openWindow = () => {
    mainWindow = createMainWindow({ BrowserWindow, shell, preloadPath });
    mainWindow.on('closed', () => {
      mainWindow = undefined;
    });
  };
  openWindow();
  app.on('activate', () => {
    if (!mainWindow) openWindow();
  });
  // No tray: closing the window quits (and the quit is graceful).
  app.on('window-all-closed', () => app.quit());
}
