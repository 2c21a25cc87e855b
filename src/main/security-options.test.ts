import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcResponse } from '../shared/ipc-bridge';
import type { FakeBrowserWindow, FakeElectron } from './testing/fake-electron';
import { FakeWebContents } from './testing/fake-ipc';

/**
 * Imports the real main-process entry (src/main/index.ts) against a FAKE `electron` module and checks every
 * security setting the issue asks for, so that weakening one fails here even without the Electron binary.
 */
const state = vi.hoisted(() => ({ fake: undefined as FakeElectron | undefined, lock: true }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./testing/fake-electron');
  state.fake = createFakeElectron({ singleInstanceLock: state.lock });
  return state.fake.module;
});

let fake: FakeElectron;
let window: FakeBrowserWindow;

beforeAll(async () => {
  // The app's own paths are under test: no STUDIO_* override from the environment running the suite.
  for (const name of ['STUDIO_DATA_DIR', 'STUDIO_RECORDINGS_DIR', 'STUDIO_SERVER_URL'])
    delete process.env[name];
  const main = await import('./index');
  await main.started;
  fake = state.fake!;
  window = fake.module.BrowserWindow.instances[0]!;
});

afterAll(async () => {
  // Release the host's SQLite file (quit runs host.close(); the last test already quit), then its folder.
  fake?.module.app.emit('before-quit', { preventDefault: () => {} });
  await vi.waitFor(() => expect(fake.calls).toContain('quit'));
  rmSync(fake.pathsRoot, { recursive: true, force: true });
});

const event = (url: string) => {
  const record = { url, prevented: false, preventDefault: () => (record.prevented = true) };
  return record;
};

describe('the main process, started with a fake Electron', () => {
  it('takes the single-instance lock and sandboxes every renderer', () => {
    expect(fake.calls).toContain('requestSingleInstanceLock');
    expect(fake.calls).toContain('enableSandbox');
    expect(fake.module.BrowserWindow.instances).toHaveLength(1);
  });

  it('opens one window with exactly the secure webPreferences (nothing added, nothing weakened)', () => {
    const { webPreferences, ...rest } = window.options as { webPreferences: Record<string, unknown> };
    expect(webPreferences).toEqual({
      preload: expect.stringMatching(/[\\/]preload[\\/]index\.cjs$/),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: true,
    });
    expect(rest).toMatchObject({ show: false, title: 'CommuniConnect Studio' });
  });

  it('loads the renderer from app://, never file://', () => {
    expect(window.loadedUrl).toBe('app://studio/index.html');
  });

  it('registers app:// as a standard secure scheme without CSP bypass or open CORS', () => {
    expect(fake.privilegedSchemes).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
      },
    ]);
    expect(fake.session.protocolHandlers.has('app')).toBe(true);
  });

  it('serves our build with a strict CSP header and refuses paths outside it', async () => {
    const handle = fake.session.protocolHandlers.get('app')!;
    const page = await handle(new Request('app://studio/index.html'));
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    for (const outside of [
      'app://studio/..%2f..%2fpackage.json',
      'app://studio/%2e%2e/%2e%2e/package.json',
    ]) {
      expect((await handle(new Request(outside))).status).toBe(404);
    }
    expect((await handle(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it('keeps the renderer meta CSP free of unsafe-eval and inline scripts too', () => {
    const html = readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('blocks every navigation and redirect of the window', () => {
    for (const name of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://evil.example/', 'app://studio/other.html', 'file:///etc/passwd']) {
        const attempt = event(url);
        window.webContents.emit(name, attempt);
        expect(attempt.prevented, `${name} ${url}`).toBe(true);
      }
    }
  });

  it('denies new windows and opens only http(s) links in the system browser', () => {
    const open = window.webContents.windowOpenHandler!;
    for (const url of [
      'https://communiconnect.example/live/3',
      'http://example.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'app://studio/index.html',
    ]) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.opened).toEqual(['https://communiconnect.example/live/3', 'http://example.org/']);
  });

  it('refuses <webview> attachment', () => {
    const attempt = event('about:blank');
    window.webContents.emit('will-attach-webview', attempt);
    expect(attempt.prevented).toBe(true);
  });

  it('guards any other webContents created later the same way', () => {
    const other = Object.assign(new FakeWebContents('about:blank'), {
      handler: undefined as undefined | ((details: { url: string }) => { action: string }),
      setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
        other.handler = handler;
      },
    });
    fake.module.app.emit('web-contents-created', {}, other);
    const navigation = event('https://evil.example/');
    other.emit('will-navigate', navigation);
    const webview = event('about:blank');
    other.emit('will-attach-webview', webview);
    expect(navigation.prevented).toBe(true);
    expect(webview.prevented).toBe(true);
    expect(other.handler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
  });

  it('grants camera and microphone to our origin only, and no other permission to anyone', () => {
    const request = fake.session.permissionRequestHandler as unknown as (
      wc: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: Record<string, unknown>,
    ) => void;
    const ask = (permission: string, details: Record<string, unknown>) => {
      let granted: boolean | undefined;
      request({}, permission, (value) => (granted = value), details);
      return granted;
    };
    const ours = { requestingUrl: 'app://studio/index.html', securityOrigin: 'app://studio/' };
    expect(ask('media', { ...ours, mediaTypes: ['video', 'audio'] })).toBe(true);
    expect(ask('media', { ...ours, mediaTypes: ['audio'] })).toBe(true);
    expect(ask('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] })).toBe(false);
    for (const other of [
      'display-capture',
      'geolocation',
      'notifications',
      'midiSysex',
      'openExternal',
      'hid',
    ]) {
      expect(ask(other, ours), other).toBe(false);
    }

    const check = fake.session.permissionCheckHandler as unknown as (
      wc: unknown,
      permission: string,
      origin: string,
      details: Record<string, unknown>,
    ) => boolean;
    expect(check({}, 'media', 'app://studio', { mediaType: 'video' })).toBe(true);
    expect(check({}, 'media', 'https://evil.example', { mediaType: 'video' })).toBe(false);
    expect(check({}, 'geolocation', 'app://studio', {})).toBe(false);
    expect(check({}, 'clipboard-read', 'app://studio', {})).toBe(false);
  });

  it('cancels every renderer request that is not our origin or in-memory media', () => {
    const { filter, listener } = fake.session.beforeRequest!;
    expect(filter.urls).toEqual(['<all_urls>']);
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      (listener as unknown as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)(
        { url },
        (response) => (cancel = response.cancel),
      );
      return cancel;
    };
    expect(decide('app://studio/assets/index.js')).toBe(false);
    expect(decide('blob:app://studio/6f1c')).toBe(false);
    expect(decide('https://cdn.example/x.js')).toBe(true);
    expect(decide('ws://127.0.0.1:5199/trpc')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
  });

  it('answers IPC from the window main frame and ignores it from any other frame', async () => {
    const replies: IpcResponse[] = [];
    const contents = window.webContents;
    contents.bridge(fake.module.ipcMain).onMessage((reply) => replies.push(reply));
    const iframe = { url: 'app://studio/index.html', parent: contents.mainFrame };
    contents.bridge(fake.module.ipcMain, iframe).send({ id: 1, method: 'query', path: 'system.info' });
    contents.bridge(fake.module.ipcMain).send({ id: 2, method: 'query', path: 'system.info' });
    await vi.waitFor(() => expect(replies).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(replies).toEqual([
      { id: 2, result: { type: 'data', data: expect.objectContaining({ transport: 'ipc' }) } },
    ]);
  });

  it('puts the host data under userData, and recordings under Videos/CommuniConnect', async () => {
    const replies: IpcResponse[] = [];
    window.webContents.bridge(fake.module.ipcMain).onMessage((reply) => replies.push(reply));
    window.webContents.bridge(fake.module.ipcMain).send({ id: 3, method: 'query', path: 'system.info' });
    await vi.waitFor(() => expect(replies.some((reply) => reply.id === 3)).toBe(true));
    const info = replies.find((reply) => reply.id === 3) as { result: { data: { dataDir: string } } };
    expect(info.result.data.dataDir).toBe(`${fake.pathsRoot}/userData`);
  });

  it('has a French menu with "Ouvrir le dossier des données" that opens the data folder', () => {
    const template = fake.menu.template as {
      label?: string;
      submenu?: { label?: string; click?: () => void }[];
    }[];
    const file = template.find((item) => item.label === 'Fichier');
    const openData = file?.submenu?.find((item) => item.label === 'Ouvrir le dossier des données');
    openData?.click?.();
    expect(fake.openedPaths).toEqual([`${fake.pathsRoot}/userData`]);
    expect(template.map((item) => item.label)).toEqual([
      'Fichier',
      'Édition',
      'Affichage',
      'Fenêtre',
      'Aide',
    ]);
  });

  it('rebuilds the menu in the language the renderer switches to, over IPC, and back', async () => {
    const replies: IpcResponse[] = [];
    const bridge = window.webContents.bridge(fake.module.ipcMain);
    bridge.onMessage((reply) => replies.push(reply));
    const topLabels = () => (fake.menu.template as { label?: string }[]).map((item) => item.label);
    const fileItems = () =>
      (fake.menu.template as { label?: string; submenu?: { label?: string }[] }[])[0]?.submenu?.map(
        (item) => item.label,
      );
    const switchTo = async (id: number, language: string) => {
      bridge.send({ id, method: 'mutation', path: 'system.setLanguage', input: { language } });
      await vi.waitFor(() => expect(replies.some((reply) => reply.id === id)).toBe(true));
      return replies.find((reply) => reply.id === id);
    };

    expect(await switchTo(10, 'en')).toMatchObject({ result: { data: { language: 'en' } } });
    expect(topLabels()).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(fileItems()).toEqual(['Open data folder', 'Open recordings folder', undefined, 'Quit']);

    // A language the studio does not have is refused, and the menu stays as it was.
    expect(await switchTo(11, 'de')).toMatchObject({ error: { data: { code: 'BAD_REQUEST' } } });
    expect(topLabels()[0]).toBe('File');

    await switchTo(12, 'fr');
    expect(topLabels()).toEqual(['Fichier', 'Édition', 'Affichage', 'Fenêtre', 'Aide']);
  });

  it('holds the first quit until the host has closed, then quits', async () => {
    let prevented = false;
    fake.module.app.emit('before-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(fake.calls).not.toContain('quit');
    await vi.waitFor(() => expect(fake.calls).toContain('quit'));
    let preventedAgain = false;
    fake.module.app.emit('before-quit', { preventDefault: () => (preventedAgain = true) });
    expect(preventedAgain).toBe(false);
  });
});
