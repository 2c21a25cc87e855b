import { BRIDGE_GLOBAL, type StudioBridge } from '../../../shared/ipc-bridge';

declare global {
  interface Window {
    /** Present only inside the Electron window, where the preload exposes it (src/preload/index.ts). */
    studioBridge?: StudioBridge;
  }
}

/** The preload's bridge when the page runs in the Electron window; undefined in a plain browser. */
export function findStudioBridge(
  scope: { [BRIDGE_GLOBAL]?: StudioBridge } = window,
): StudioBridge | undefined {
  const bridge = scope[BRIDGE_GLOBAL];
  return bridge && typeof bridge.send === 'function' && typeof bridge.onMessage === 'function'
    ? bridge
    : undefined;
}
