import { z } from 'zod';

/**
 * The tRPC-over-Electron-IPC protocol: the shapes that cross the preload bridge, nothing else. The renderer half
 * (src/renderer/src/ipc) sends requests, the main half (src/main/ipc-adapter.ts) answers with tRPC's own JSON-RPC
 * result and error shapes, so the client maps them exactly as it does for the WebSocket link.
 * Runs everywhere: no Node, no DOM.
 */

/** Biggest path we accept: procedure paths are short dotted names; anything longer is garbage or an attack. */
const PATH_MAX_LENGTH = 200;

const requestIdSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const ipcCallSchema = z.object({
  id: requestIdSchema,
  method: z.enum(['query', 'mutation', 'subscription']),
  path: z
    .string()
    .min(1)
    .max(PATH_MAX_LENGTH)
    .regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, 'a procedure path is dotted names'),
  input: z.unknown().optional(),
  /** A tracked subscription resumes after this event id (tRPC v11 `tracked()`); merged into the input. */
  lastEventId: z.string().max(PATH_MAX_LENGTH).optional(),
});

export const ipcStopSchema = z.object({
  id: requestIdSchema,
  method: z.literal('subscription.stop'),
});

/** Renderer → main. Validated in main: the renderer is not trusted to send well-formed messages. */
export const ipcRequestSchema = z.discriminatedUnion('method', [ipcCallSchema, ipcStopSchema]);
export type IpcCall = z.infer<typeof ipcCallSchema>;
export type IpcStop = z.infer<typeof ipcStopSchema>;
export type IpcRequest = z.infer<typeof ipcRequestSchema>;

export * from './ipc-bridge';
