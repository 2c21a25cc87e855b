import type { BrowserWindow, BrowserWindowConstructorOptions, Event } from 'electron';
import { RENDERER_ENTRY_URL } from './app-origin';
import { openExternalSafely, type ShellLike } from './external-links';
import { secureWindowOptions } from './window-options';

type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/**
 * The studio's one window, with its guards (design §7): no navigation away from the page, no new windows
 * (http(s) links open in the system browser), no <webview>, and the renderer loaded from app://.
 */
export function createMainWindow(deps: {
  BrowserWindow: BrowserWindowClass;
  shell: ShellLike;
  preloadPath: string;
}): BrowserWindow {
  const window = new deps.BrowserWindow(secureWindowOptions(deps.preloadPath));
  const contents = window.webContents;

  // Checklist item 13: the page never navigates; a link click or a redirect to elsewhere is refused.
  const refuse = (event: Event, url: string) => {
    event.preventDefault();
    console.warn(`Navigation blocked: ${url}`);
  };
  contents.on('will-navigate', (event) => refuse(event, event.url));
  contents.on('will-redirect', (event) => refuse(event, event.url));

  // Checklist item 14: no new windows; an http(s) link goes to the system browser.
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(deps.shell, url);
    return { action: 'deny' };
  });

  // Checklist item 12: <webview> is off in webPreferences; refuse an attach even if something turns it on.
  contents.on('will-attach-webview', (event) => event.preventDefault());

  window.once('ready-to-show', () => window.show());
  void window.loadURL(RENDERER_ENTRY_URL);
  return window;
}
