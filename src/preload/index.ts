import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, IPC_CHANNEL, type IpcResponse, type StudioBridge } from '../shared/ipc-bridge';

/**
 * The preload exposes one narrow bridge (design §7): send a tRPC message to the host, listen for its replies.
 * Nothing else of Electron or Node reaches the renderer: not ipcRenderer, not the IPC event (whose `sender`
 * would hand the page ipcRenderer itself), only the message. Built as one CommonJS file so `sandbox: true` holds.
 */
const bridge: StudioBridge = {
  send: (message) => ipcRenderer.send(IPC_CHANNEL, message),
  onMessage: (listener) => {
    if (typeof listener !== 'function') throw new TypeError('studioBridge.onMessage needs a function');
    const forward = (_event: unknown, message: IpcResponse) => listener(message);
    ipcRenderer.on(IPC_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
