/**
 * What went wrong with the camera or microphone; the words the host of a live can act on are in the i18n
 * resources (recorder.problems).
 */
export type MediaProblem = 'denied' | 'not-found' | 'busy' | 'unplugged' | 'unsupported' | 'host' | 'other';

/** Maps getUserMedia's DOMException names (https://w3c.github.io/mediacapture-main/#dom-mediadevices-getusermedia). */
export function classifyMediaError(error: unknown): MediaProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'not-found';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'other';
}
