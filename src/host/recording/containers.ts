/**
 * Containers the host accepts from the recorder. Only Matroska/WebM: the renderer's choice (see
 * src/renderer/src/recording/recorder-format.ts) is WebM because Chromium streams it in 1 s clusters that are
 * playable up to the last byte written, while its MP4 arrives in fragments per keyframe (or only at stop).
 */
export function containerFor(mime: string): { ext: 'webm' | 'mkv' } | null {
  const type = mime.split(';')[0]?.trim().toLowerCase();
  if (type === 'video/webm' || type === 'audio/webm') return { ext: 'webm' };
  if (type === 'video/x-matroska') return { ext: 'mkv' };
  return null;
}
