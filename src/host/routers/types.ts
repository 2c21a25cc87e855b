/** The only thing the renderer imports from the host: the router's type, erased at build time. */
export type { hostRouter } from './index';
import type { hostRouter } from './index';
export type HostRouter = typeof hostRouter;
