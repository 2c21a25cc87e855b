/**
 * The Content-Security-Policy sent as a header with every page of the app:// origin (the renderer's index.html
 * carries a meta CSP too; a browser enforces both). No 'unsafe-eval', no inline scripts, no remote code: scripts,
 * connections and media come from our own origin only. Styles allow inline ones because React sets style attributes.
 * The renderer needs no network: in Electron it reaches the host over IPC, so connect-src is 'self' alone.
 * The app:// handler sets it on its own responses (src/main/protocol.ts); a webRequest.onHeadersReceived hook would
 * add nothing, since every document the window can load comes from that handler.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
