import type { IpcRequest } from './ipc';

/**
 * The bridge half of the IPC protocol: constants and types only, no zod, so that the sandboxed preload (which may
 * `require` nothing but Electron's own modules) bundles to a few lines. The schemas live in ./ipc.
 */

/** The one IPC channel of the app. The preload listens and sends on it only. */
export const IPC_CHANNEL = 'studio:trpc';

/** tRPC's error shape as the router's errorFormatter made it (code, message, data). */
export type IpcErrorShape = { code: number; message: string; data?: unknown };

/** Main → renderer: tRPC's JSON-RPC responses, keyed by the request id. `id: null` = a request we could not read. */
export type IpcResponse =
  | { id: number | null; error: IpcErrorShape }
  | { id: number; result: { type: 'data'; data: unknown; id?: string } }
  | { id: number; result: { type: 'started' } }
  | { id: number; result: { type: 'stopped' } };

/** What the preload exposes as `window.studioBridge`; the renderer's IPC link needs only this. */
export type StudioBridge = {
  send(message: IpcRequest): void;
  /** Registers a listener for every reply on the channel; returns its removal. */
  onMessage(listener: (message: IpcResponse) => void): () => void;
};

/** The name under which the preload exposes the bridge on `window`. */
export const BRIDGE_GLOBAL = 'studioBridge';
