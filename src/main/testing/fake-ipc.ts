import { EventEmitter } from 'node:events';
import { IPC_CHANNEL, type IpcResponse, type StudioBridge } from '../../shared/ipc-bridge';
import type { IpcEventLike, IpcMainLike, IpcSender } from '../ipc-adapter';

/**
 * A FAKE of Electron's ipcMain / webContents / preload bridge, for tests on machines without the Electron binary.
 * Messages cross it as they cross real IPC: asynchronously and through the structured clone (so a function or a
 * class instance in a payload fails here as it would in the app).
 */
export class FakeIpcMain extends EventEmitter implements IpcMainLike {
  override on(channel: string, listener: (event: IpcEventLike, message: unknown) => void): this {
    return super.on(channel, listener);
  }
  override removeListener(channel: string, listener: (event: IpcEventLike, message: unknown) => void): this {
    return super.removeListener(channel, listener);
  }
}

export type FakeFrame = { url: string; parent: FakeFrame | null };

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter implements IpcSender {
  readonly id = nextWebContentsId++;
  readonly mainFrame: FakeFrame;
  private destroyed = false;
  private readonly rendererListeners = new Set<(message: IpcResponse) => void>();
  /** Every reply main sent, in order (what the page would have received). */
  readonly sent: IpcResponse[] = [];

  constructor(url = 'app://studio/index.html') {
    super();
    this.mainFrame = { url, parent: null };
  }

  send(channel: string, message: IpcResponse): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    if (channel !== IPC_CHANNEL) return;
    const copy = structuredClone(message);
    this.sent.push(copy);
    setImmediate(() => {
      for (const listener of this.rendererListeners) listener(copy);
    });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The preload's bridge for this page, sending from `frame` (the main frame unless a test says otherwise). */
  bridge(ipcMain: FakeIpcMain, frame: FakeFrame = this.mainFrame): StudioBridge {
    return {
      send: (message) => {
        const copy = structuredClone(message);
        const event: IpcEventLike = { sender: this, senderFrame: frame };
        setImmediate(() => ipcMain.emit(IPC_CHANNEL, event, copy));
      },
      onMessage: (listener) => {
        this.rendererListeners.add(listener);
        return () => this.rendererListeners.delete(listener);
      },
    };
  }

  /** The page reloads: Electron emits did-start-navigation for the main frame; old listeners die with the page. */
  reload(): void {
    this.rendererListeners.clear();
    this.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url: this.mainFrame.url });
  }

  destroy(): void {
    this.destroyed = true;
    this.rendererListeners.clear();
    this.emit('destroyed');
  }
}
