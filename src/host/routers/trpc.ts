import { initTRPC } from '@trpc/server';
import type { HostContext } from '../context';

/** tRPC for the hostRouter: the renderer's only way into the host, over IPC (Electron) or loopback WebSocket. */
const t = initTRPC.context<HostContext>().create();

export const router = t.router;
export const publicProcedure = t.procedure;
