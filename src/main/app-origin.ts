/**
 * Where the renderer lives inside the app: a privileged custom scheme instead of file:// (Electron security
 * checklist item 18), so the page has a real origin that CSP, permissions and the IPC check can name.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const RENDERER_ENTRY_URL = `${APP_ORIGIN}/index.html`;
/** Recordings are served under this path of the same origin (media elements need a same-origin URL under our CSP). */
export const RECORDINGS_PATH_PREFIX = '/recordings/';

/** True for a URL of our own page (the origin check is textual: Node's URL gives non-special schemes origin "null"). */
export function isAppUrl(url: string): boolean {
  return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
}
