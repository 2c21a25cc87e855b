/**
 * The name of a server's cache. The embedded server gets a fixed key because its URL (a loopback port) changes
 * at every launch; a remote server is named by its normalised URL, so that two servers never share a cache.
 */
export const EMBEDDED_SERVER_KEY = 'embedded';

export function normalizeServerUrl(raw: string): string {
  const url = new URL(raw.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error('The server address must be http(s).');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function remoteServerKey(url: string): string {
  return normalizeServerUrl(url);
}
