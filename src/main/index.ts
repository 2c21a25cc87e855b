import { join } from 'node:path';
import { app, BrowserWindow, shell } from 'electron';
import { secureWindowOptions } from './window-options';

/** The Electron main process: thin. It opens the window and guards the boundary; the host does the work. */
function createWindow() {
  const window = new BrowserWindow(secureWindowOptions(join(__dirname, '../preload/index.cjs')));
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadFile(join(__dirname, '../renderer/index.html'));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(createWindow);
  app.on('window-all-closed', () => app.quit());
}
