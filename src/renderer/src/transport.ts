import { createWSClient, type TRPCLink, wsLink } from '@trpc/client';
import type { HostRouter } from '../../host/routers/types';
import { findStudioBridge } from './ipc/bridge';
import { ipcLink } from './ipc/link';

/**
 * The one seam where the renderer picks how it reaches the host: the Electron IPC link when the preload
 * exposes its bridge, else a WebSocket to `npm run host` on loopback with the per-launch token from the page's URL.
 */
export function hostLink(): TRPCLink<HostRouter> {
  const bridge = findStudioBridge();
  if (bridge) return ipcLink<HostRouter>({ bridge });
  const token = readLaunchToken();
  const client = createWSClient({
    url: `ws://${window.location.host}/trpc?token=${encodeURIComponent(token)}`,
    retryDelayMs: (attempt) => Math.min(250 * 2 ** attempt, 5000),
  });
  return wsLink<HostRouter>({ client });
}

/** The token arrives once in the URL; it is kept for this tab so that a reload keeps working. */
function readLaunchToken(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('studio-token', fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem('studio-token') ?? '';
}
