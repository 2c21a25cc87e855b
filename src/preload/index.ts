import { contextBridge, ipcRenderer } from 'electron';

/**
 * The preload exposes one narrow bridge: send a tRPC message to the host, and listen for its replies.
 * Nothing else of Electron or Node reaches the renderer.
 */
const CHANNEL = 'studio:trpc';

contextBridge.exposeInMainWorld('studioBridge', {
  send: (message: unknown) => ipcRenderer.send(CHANNEL, message),
  onMessage: (listener: (message: unknown) => void) => {
    const wrapped = (_event: unknown, message: unknown) => listener(message);
    ipcRenderer.on(CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(CHANNEL, wrapped);
  },
});
