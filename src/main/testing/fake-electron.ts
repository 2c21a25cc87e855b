import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeIpcMain, FakeWebContents } from './fake-ipc';

/**
 * A FAKE `electron` module (vi.mock('electron', …)) for machines without the Electron binary: it records what the
 * main process asks of Electron — window options, session handlers, protocol registration, menu — so tests can
 * assert each security setting and call each handler. It is not Electron: behaviour is checked where the binary
 * exists, by the Electron e2e project.
 */
type Handler = (...args: never[]) => unknown;

class FakeWindowContents extends FakeWebContents {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWindowContents();
  loadedUrl: string | undefined;
  shown = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  loadFile(file: string) {
    this.loadedUrl = `file://${file}`;
    return Promise.resolve();
  }
  show() {
    this.shown = true;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
}

export function createFakeElectron(options: { singleInstanceLock?: boolean } = {}) {
  const pathsRoot = mkdtempSync(join(tmpdir(), 'cc-fake-electron-'));
  const calls: string[] = [];
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock');
      return options.singleInstanceLock ?? true;
    },
    enableSandbox: () => calls.push('enableSandbox'),
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => join(pathsRoot, name),
    getLocale: () => 'fr-FR',
    getName: () => 'CommuniConnect Studio',
    getVersion: () => '0.1.0',
    quit: () => calls.push('quit'),
    exit: (code?: number) => calls.push(`exit:${code ?? 0}`),
  });
  const session = {
    permissionRequestHandler: undefined as Handler | undefined,
    permissionCheckHandler: undefined as Handler | undefined,
    beforeRequest: undefined as { filter: { urls: string[] }; listener: Handler } | undefined,
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    setPermissionRequestHandler(handler: Handler) {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: Handler) {
      this.permissionCheckHandler = handler;
    },
    webRequest: {
      onBeforeRequest: (filter: { urls: string[] }, listener: Handler) => {
        session.beforeRequest = { filter, listener };
      },
    },
    protocol: {
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        session.protocolHandlers.set(scheme, handler);
      },
    },
  };
  const privilegedSchemes: unknown[] = [];
  const menu = { template: undefined as unknown };
  const opened: string[] = [];
  const openedPaths: string[] = [];
  const errors: string[] = [];
  FakeBrowserWindow.instances = [];

  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: new FakeIpcMain(),
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privilegedSchemes.push(...schemes),
    },
    session: { defaultSession: session },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (built: { template: unknown }) => {
        menu.template = built.template;
      },
    },
    shell: {
      openExternal: (url: string) => {
        opened.push(url);
        return Promise.resolve();
      },
      openPath: (path: string) => {
        openedPaths.push(path);
        return Promise.resolve('');
      },
    },
    // No keychain in the fake: the main process falls back to the private data directory, as on a bare Linux.
    safeStorage: {
      isEncryptionAvailable: () => false,
      encryptString: (plain: string) => Buffer.from(plain),
      decryptString: (sealed: Buffer) => sealed.toString(),
    },
    dialog: {
      showErrorBox: (_title: string, message: string) => errors.push(message),
      showMessageBox: () => Promise.resolve({ response: 0 }),
    },
  };
  return { module, calls, session, privilegedSchemes, menu, opened, openedPaths, errors, pathsRoot };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
