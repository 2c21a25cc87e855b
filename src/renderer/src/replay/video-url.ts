/**
 * Where the `<video>` loads a recording from: the host's `/recordings/<id>.<ext>` route. In Electron the page is
 * on app://, whose handler serves that path (with its checks); in browser mode the per-launch token rides along.
 * Absolute, so that the element's `src` says exactly what is played.
 */
export function recordingUrl(path: string): string {
  const url = new URL(path, window.location.href);
  if (window.location.protocol.startsWith('http')) {
    url.searchParams.set('token', sessionStorage.getItem('studio-token') ?? '');
  }
  return url.href;
}

export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(hours ? 2 : 1, '0');
  return `${hours ? `${hours}:` : ''}${mm}:${String(seconds).padStart(2, '0')}`;
}
