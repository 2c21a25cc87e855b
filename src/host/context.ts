import type { Host } from './host';

/** What every hostRouter procedure sees; independent of the transport so that routers are tested without one. */
export type HostContext = { host: Host; transport: 'ipc' | 'websocket' | 'direct' };
