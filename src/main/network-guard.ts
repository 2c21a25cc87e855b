/** The part of a session's webRequest this guard uses. */
export type WebRequestLike = {
  onBeforeRequest(
    filter: { urls: string[] },
    listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void,
  ): void;
};

/** Schemes the page may load from: our own origin, in-memory media (camera preview, recording blobs), devtools. */
const ALLOWED_SCHEMES = new Set(['app:', 'blob:', 'data:', 'devtools:']);

export function isAllowedRendererRequest(url: string): boolean {
  const colon = url.indexOf(':');
  return colon > 0 && ALLOWED_SCHEMES.has(url.slice(0, colon + 1).toLowerCase());
}

/**
 * The renderer never touches the network (design §1: the host does, in Node): any http(s)/ws/file request from
 * the window is cancelled. Even an injected script could not reach a remote server or read a local file.
 */
export function blockForeignRequests(webRequest: WebRequestLike): void {
  webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    const allowed = isAllowedRendererRequest(details.url);
    if (!allowed) console.warn(`Request blocked: ${details.url}`);
    callback({ cancel: !allowed });
  });
}
